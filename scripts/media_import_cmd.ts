// `npm run media:import -- --format csv|movielens FILE`: upserts an operator's catalogue into the
// configured database and reports rows added / updated / unchanged / rejected (with line numbers and
// reasons). Exits non-zero only when the input cannot be read at all.
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/open-database.js';
import { migrate } from '../server/db/migrations.js';
import { IMPORT_FORMATS, importCatalogue, type ImportFormat } from '../server/offline/catalogue/media-import.js';
import { configOrExit } from './cli-config.js';

function fail(message: string): never {
  process.stderr.write(`media:import: ${message}\nusage: npm run media:import -- --format csv|movielens FILE\n`);
  process.exit(2);
}

let parsed: { values: { format?: string }; positionals: string[] };
try {
  parsed = parseArgs({ options: { format: { type: 'string' } }, allowPositionals: true, strict: true });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const format = parsed.values.format;
if (!format || !(IMPORT_FORMATS as readonly string[]).includes(format)) fail('--format must be csv or movielens');
const file = parsed.positionals[0];
if (!file || parsed.positionals.length > 1) fail('give exactly one FILE (for movielens: its movies.csv)');

const config = configOrExit();
const db = await openDatabase(config);
let exitCode = 0;
try {
  await migrate(db);
  const report = await importCatalogue(db, format as ImportFormat, file);
  process.stdout.write(
    `media:import ${file}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ` +
      `${report.rejected.length} rejected, ${report.externalIdsAdded} cross ids linked\n`,
  );
  for (const rejection of report.rejected) process.stdout.write(`  line ${rejection.line}: ${rejection.reason}\n`);
} catch (error) {
  process.stderr.write(`media:import: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await db.close();
}
process.exit(exitCode);
