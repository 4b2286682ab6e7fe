// `npm run seed:media [-- --generated 50000]`: loads the sample media catalogue (curated real works plus
// a generated sample) into the configured database (DATABASE_URL, else the PGlite under SDE_DATA_DIR),
// idempotently: a second run adds nothing.
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/open-database.js';
import { migrate } from '../server/db/migrations.js';
import { DEFAULT_GENERATED_WORKS, seedSampleCatalogue } from '../server/offline/catalogue/sample-catalogue.js';
import { configOrExit } from './cli-config.js';

function fail(message: string): never {
  process.stderr.write(`seed:media: ${message}\nusage: npm run seed:media [-- --generated <count>]\n`);
  process.exit(2);
}

let values: { generated?: string };
try {
  ({ values } = parseArgs({ options: { generated: { type: 'string' } }, strict: true }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const generated = Number(values.generated ?? DEFAULT_GENERATED_WORKS);
if (!Number.isInteger(generated) || generated < 0 || generated > 1_000_000) {
  fail('--generated must be a whole number from 0 to 1000000');
}

const config = configOrExit();
const db = await openDatabase(config);
let exitCode = 0;
try {
  await migrate(db);
  const started = performance.now();
  const report = await seedSampleCatalogue(db, { generated });
  process.stdout.write(
    `media catalogue: ${report.added} added, ${report.unchanged} already present ` +
      `(${report.total} works in the sample) in ${Math.round(performance.now() - started)} ms on ${db.driver}\n`,
  );
} catch (error) {
  process.stderr.write(`seed:media: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await db.close();
}
process.exit(exitCode);
