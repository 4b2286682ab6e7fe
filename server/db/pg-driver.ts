// Postgres 15+ through a `pg` pool: the production driver.
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './database.js';
import { asMemberIn } from './member-session.js';
import { PgListener } from './pg-listener.js';

// Keep int8 (counts, bigint ids) as JS numbers: every id and count SDE stores fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// Dates (birthdays) stay the plain 'YYYY-MM-DD' text Postgres sends, as on PGlite.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

type PgResult = pg.QueryResult<Record<string, unknown>>;

function lastResult<Row>(result: PgResult | PgResult[]): QueryResult<Row> {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: (last?.rows ?? []) as Row[], rowCount: last?.rowCount ?? 0 };
}

function queryableOver(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = (await client.query(sql, params as unknown[] | undefined)) as PgResult | PgResult[];
      return lastResult<Row>(result);
    },
  };
}

export function openPostgres(connectionString: string, options: { poolMax: number }): Database {
  const pool = new pg.Pool({ connectionString, max: options.poolMax, application_name: 'sde' });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Opened on the first listen(): notifications need a connection of their own.
  const listener = new PgListener(connectionString);
  const transaction: Database['transaction'] = async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(queryableOver(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return {
    driver: 'postgres',
    ...queryableOver(pool),
    transaction,
    asMember: (memberId, work) => asMemberIn(transaction, memberId, work),
    listen: (channel, onMessage) => listener.listen(channel, onMessage),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}
