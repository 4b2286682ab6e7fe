// `npm run db:migrate` applies pending migrations; `npm run db:check` exits 1 when the applied history
// differs from migrations/ (edited, missing, out-of-order or pending): the release gate's zero drift.
import { openDatabase } from '../server/db/open-database.js';
import { checkMigrationHistory, describeDrift, migrate } from '../server/db/migrations.js';
import { configOrExit } from './cli-config.js';

const command = process.argv[2];
if (command !== 'migrate' && command !== 'check') {
  process.stderr.write('usage: tsx scripts/db_cmd.ts migrate|check\n');
  process.exit(2);
}

const config = configOrExit();
const db = await openDatabase(config);
let exitCode = 0;
try {
  if (command === 'migrate') {
    const applied = await migrate(db);
    process.stdout.write(
      applied.length === 0
        ? 'migrations: nothing to apply\n'
        : applied.map((m) => `applied ${String(m.version).padStart(3, '0')} ${m.name}`).join('\n') + '\n',
    );
  } else {
    const history = await checkMigrationHistory(db);
    if (history.problems.length === 0) {
      process.stdout.write(`migrations: ${history.appliedCount} applied, ${history.fileCount} files, zero drift\n`);
    } else {
      process.stdout.write(
        `migrations: drift found\n${history.problems.map((p) => `  ${describeDrift(p)}`).join('\n')}\n`,
      );
      exitCode = 1;
    }
  }
} catch (error) {
  process.stderr.write(`db ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await db.close();
}
process.exit(exitCode);
