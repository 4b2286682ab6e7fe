// Embedded Postgres (PGlite, WASM) with pgvector and pg_trgm: the desktop and zero-setup driver.
// PGlite is one session, so it serialises queries itself; transactions hold it exclusively.
import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Queryable, QueryResult } from './database.js';

type PGliteSession = PGlite | Transaction;

// Same value shapes as the pg driver: int8/numeric as numbers, dates as 'YYYY-MM-DD' text.
const parsers = {
  [types.INT8]: (value: string) => Number(value),
  [types.NUMERIC]: (value: string) => Number(value),
  [types.DATE]: (value: string) => value,
};

function queryableOver(session: PGliteSession): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      if (params && params.length > 0) {
        const result = await session.query<Row>(sql, params as unknown[]);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      }
      // Without parameters use the simple protocol, which accepts several statements.
      const results = await session.exec(sql);
      const last = results[results.length - 1];
      return { rows: (last?.rows ?? []) as Row[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
    },
  };
}

/** `dataDir` undefined keeps the database in memory (tests). */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { vector, pg_trgm }, parsers });
  return {
    driver: 'pglite',
    ...queryableOver(db),
    transaction: (work) => db.transaction((tx) => work(queryableOver(tx))),
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
