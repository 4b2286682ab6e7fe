// `npm run ranker -- export` on each database: the product's labelled feedback comes out as LibSVM +
// query files that `npm run ranker -- train` then trains on, and bad flags exit 2 naming them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import { openDatabase } from '../../server/db/open-database.js';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { parseLibsvm, parseQueryFile } from '../../server/lib/ranker/libsvm.js';
import { databaseKinds } from '../support/databases.js';
import { seedFeedback } from '../support/feedback.js';
import { databaseFor, makeTempDir, removeDir, runScript } from '../support/processes.js';
import { testConfig } from '../support/test-app.js';

const CLI = 'scripts/ranker_cmd.ts';

describe.each(databaseKinds)('npm run ranker -- export [%s]', (kind) => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof databaseFor>> | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = makeTempDir();
    database = await databaseFor(kind);
    env = { SDE_DATA_DIR: dataDir, ...database.env };
    // Seed through the same database the command will open, then let go of it (PGlite is single-process).
    const db = await openDatabase({ ...testConfig({ dataDir }), databaseUrl: database.env.DATABASE_URL });
    try {
      await migrate(db);
      await seedFeedback(db, { viewers: 12, candidates: 6 });
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await database?.dispose();
    removeDir(dataDir);
  });

  it('writes train.svm / train.query that the trainer accepts', { timeout: 60_000 }, async () => {
    const out = path.join(dataDir, 'export');
    const exported = await runScript(CLI, ['export', '--out-dir', out], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported 72 rows in 12 viewer groups .*labels 0\/1\/2: 36\/12\/24\) to /);
    const groups = parseQueryFile(readFileSync(path.join(out, 'train.query'), 'utf8'));
    expect(Array.from(groups)).toEqual(Array(12).fill(6));
    const data = parseLibsvm(readFileSync(path.join(out, 'train.svm'), 'utf8'), {
      numFeatures: PAIR_FEATURE_NAMES.length,
    });
    expect(data.numRows).toBe(72);
    expect(readFileSync(path.join(out, 'features.txt'), 'utf8').trim().split('\n')).toEqual(PAIR_FEATURE_NAMES);

    const trained = await runScript(
      CLI,
      [
        'train',
        ...['--data', path.join(out, 'train.svm'), '--query', path.join(out, 'train.query')],
        ...['--out', path.join(out, 'model.txt'), '--num-iterations', '10', '--min-data-in-leaf', '5'],
      ],
      env,
    );
    expect(trained.code, trained.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'model.txt'), 'utf8')).toMatch(/^tree\n/);
  });

  it('exits 2 naming a bad flag', async () => {
    const missing = await runScript(CLI, ['export'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ranker: --out-dir is required/);
    const badDate = await runScript(CLI, ['export', '--out-dir', dataDir, '--from', 'yesterday'], env);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--from must be an ISO-8601 date, got yesterday/);
    const reversed = await runScript(
      CLI,
      ['export', '--out-dir', dataDir, '--from', '2026-02-01', '--to', '2026-01-01'],
      env,
    );
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/ranker: --from: must be before to/);
  });
});
