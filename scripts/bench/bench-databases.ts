// The databases a benchmark measures: an in-memory PGlite always, and a fresh scratch database on
// the Postgres server given by --postgres / TEST_DATABASE_URL / DATABASE_URL when there is one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrations.js';
import { openPglite } from '../../server/db/pglite-driver.js';
import { openPostgres } from '../../server/db/pg-driver.js';

export interface BenchDatabase {
  kind: 'pglite' | 'postgres';
  db: Database;
  /** The scratch database's connection string (Postgres only), for clients of its own. */
  url?: string;
  dispose(): Promise<void>;
}

export type OpenBenchDatabase = () => Promise<BenchDatabase>;

export function benchDatabases(
  postgresUrl: string | undefined,
): Array<{ kind: BenchDatabase['kind']; open: OpenBenchDatabase }> {
  const kinds: Array<{ kind: BenchDatabase['kind']; open: OpenBenchDatabase }> = [
    { kind: 'pglite', open: openMigratedPglite },
  ];
  if (postgresUrl) kinds.push({ kind: 'postgres', open: () => openScratchPostgres(postgresUrl) });
  return kinds;
}

async function openMigratedPglite(): Promise<BenchDatabase> {
  const db = await openPglite(undefined);
  await migrate(db);
  return { kind: 'pglite', db, dispose: () => db.close() };
}

async function openScratchPostgres(serverUrl: string): Promise<BenchDatabase> {
  const name = `sde_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { poolMax: 10 });
  await migrate(db);
  return {
    kind: 'postgres',
    db,
    url: url.toString(),
    async dispose() {
      await db.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
