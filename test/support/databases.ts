// The databases every database test runs on: PGlite always, and a real Postgres + pgvector when
// TEST_DATABASE_URL points at one (`.ci/run` starts it with scripts/pg-start.sh). Each test file
// gets a database of its own, so files can run in parallel.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrations.js';
import { openPglite } from '../../server/db/pglite-driver.js';
import { openPostgres } from '../../server/db/pg-driver.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface ScratchDatabase {
  kind: DatabaseKind;
  db: Database;
  /** Postgres only: the scratch database's URL, for other processes and other roles. */
  url?: string;
  dispose(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export const databaseKinds: DatabaseKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A pool's `end()` resolves once it has asked its connections to close, not once they have. Dropping
 * WITH (FORCE) at that moment can terminate a backend that has not yet read the goodbye, and its FATAL
 * reaches a client that no longer has an error listener: an uncaught error in whichever test file is
 * running. Wait (briefly) for the sessions to leave on their own; FORCE is for the ones a test leaked.
 */
async function waitForSessionsToLeave(client: pg.Client, database: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ sessions: number }>(
      'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0]!.sessions === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `sde_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await waitForSessionsToLeave(client, name);
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function openScratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase> {
  if (kind === 'pglite') {
    const db = await openPglite(undefined);
    return { kind, db, dispose: () => db.close() };
  }
  const scratch = await createScratchPostgres();
  const db = openPostgres(scratch.url, { poolMax: 5 });
  return {
    kind,
    db,
    url: scratch.url,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}

/**
 * A migrated scratch database for the enclosing describe block: opened before its tests and disposed
 * after them. Read `.db` inside tests and hooks (it does not exist before the block starts).
 */
export function migratedScratchDatabase(kind: DatabaseKind): { readonly db: Database } {
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    await migrate(scratch.db);
  });
  afterAll(async () => {
    await scratch?.dispose();
  });
  return {
    get db() {
      if (!scratch) throw new Error('the scratch database is opened in beforeAll; read .db inside a test or hook');
      return scratch.db;
    },
  };
}
