// `npm run eval:canonicalise [-- --sample 2000 --data ../shared/data/movielens-small-2015]`: imports the
// MovieLens catalogue into an in-memory PGlite (or DATABASE_URL when set), types its titles the ways
// people do and prints canonicalise's top-1 accuracy per perturbation and overall.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openPglite } from '../server/db/pglite-driver.js';
import { openPostgres } from '../server/db/pg-driver.js';
import { migrate } from '../server/db/migrations.js';
import { evaluateCanonicalisation, PERTURBATIONS } from '../server/offline/evaluation/canonicalise-eval.js';

function fail(message: string, code = 2): never {
  process.stderr.write(`eval:canonicalise: ${message}\n`);
  process.exit(code);
}

let values: { sample?: string; data?: string; seed?: string };
try {
  ({ values } = parseArgs({
    options: { sample: { type: 'string' }, data: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const sample = Number(values.sample ?? 2000);
if (!Number.isInteger(sample) || sample < 1) fail('--sample must be a positive whole number');
const dataDir = path.resolve(values.data ?? '../shared/data/movielens-small-2015');
if (!existsSync(path.join(dataDir, 'movies.csv')) || !existsSync(path.join(dataDir, 'links.csv'))) {
  fail(`the MovieLens sample is not at ${dataDir} (movies.csv and links.csv); pass --data <folder>`, 1);
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const db = databaseUrl ? openPostgres(databaseUrl, { poolMax: 2 }) : await openPglite(undefined);
try {
  await migrate(db);
  process.stdout.write(`canonicalise evaluation on ${db.driver}, MovieLens at ${dataDir}\n`);
  const report = await evaluateCanonicalisation(db, {
    dataDir,
    sample,
    seed: values.seed === undefined ? undefined : Number(values.seed),
  });
  const pct = (value: number) => `${(value * 100).toFixed(2)} %`;
  process.stdout.write(
    `imported: ${report.imported.added} added, ${report.imported.updated} updated, ` +
      `${report.imported.unchanged} unchanged, ${report.imported.rejected.length} rejected\n` +
      `titles typed: ${report.titles} (${report.overall.total} queries, ${report.elapsedMs} ms, ` +
      `${(report.elapsedMs / Math.max(1, report.overall.total)).toFixed(2)} ms/query)\n`,
  );
  for (const perturbation of PERTURBATIONS) {
    const a = report.byPerturbation[perturbation];
    process.stdout.write(`  ${perturbation.padEnd(15)} ${pct(a.accuracy).padStart(9)}  (${a.correct}/${a.total})\n`);
  }
  process.stdout.write(
    `top-1 accuracy: ${pct(report.overall.accuracy)} (${report.overall.correct}/${report.overall.total})\n`,
  );
  if (report.misses.length > 0) {
    process.stdout.write(`first misses:\n`);
    for (const miss of report.misses.slice(0, 15)) {
      process.stdout.write(
        `  [${miss.perturbation}] "${miss.typed}" → ${miss.got ?? 'no match'}; expected ${miss.expected}\n`,
      );
    }
  }
} finally {
  await db.close();
}
