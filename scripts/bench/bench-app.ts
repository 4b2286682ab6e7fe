// The frame of a benchmark that measures the engine through its app: once per bench database, open it,
// seed it, build the app over it in a data folder of its own, measure, and always close the app, drop the
// database and remove the folder, even when a measurement throws. Each bench keeps only its seeding and
// its measurements.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config/config.js';
import type { Database } from '../../server/db/database.js';
import { benchDatabases, type BenchDatabase } from './bench-databases.js';

/** What a measurement runs against. */
export interface BenchApp<Seeded> {
  kind: BenchDatabase['kind'];
  db: Database;
  config: Config;
  app: FastifyInstance;
  /** What `seed` returned for this database. */
  seeded: Seeded;
}

export interface BenchAppSetup<Seeded> {
  postgresUrl: string | undefined;
  /** Names the temporary data folder (`sde-bench-{name}-…`). */
  name: string;
  /** Engine settings beyond the bench defaults (a JWT secret, silent logs). */
  env: Record<string, string>;
  /** Runs on the migrated database before the app is built. */
  seed: (db: Database) => Promise<Seeded>;
}

/** Measures on every bench database in turn; returns each measurement's result, PGlite first. */
export async function measureOnEachDatabase<Seeded, Result>(
  setup: BenchAppSetup<Seeded>,
  measure: (bench: BenchApp<Seeded>) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = [];
  for (const { kind, open } of benchDatabases(setup.postgresUrl)) {
    const bench = await open();
    const dataDir = mkdtempSync(path.join(tmpdir(), `sde-bench-${setup.name}-`));
    try {
      const seeded = await setup.seed(bench.db);
      const config = loadConfig({
        SDE_DATA_DIR: dataDir,
        SDE_JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
        LOG_LEVEL: 'silent',
        ...setup.env,
      });
      const app = await buildApp(config, { database: bench.db });
      try {
        results.push(await measure({ kind, db: bench.db, config, app, seeded }));
      } finally {
        await app.close();
      }
    } finally {
      await bench.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return results;
}
