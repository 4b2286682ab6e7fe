// A database that counts the statements sent through it, so a test can prove an answer came from a
// memo rather than from the database (a cache that never answered would still return correct rows).
import type { Database, Queryable } from '../../server/db/database.js';

export interface CountingDatabase {
  db: Database;
  /** Statements sent so far, transactions' statements included. */
  readonly queries: number;
}

export function countingDatabase(inner: Database): CountingDatabase {
  let queries = 0;
  const counted = (tx: Queryable): Queryable => ({
    query: (sql, params) => {
      queries++;
      return tx.query(sql, params);
    },
  });
  const db: Database = {
    driver: inner.driver,
    query: (sql, params) => {
      queries++;
      return inner.query(sql, params);
    },
    transaction: (work) => inner.transaction((tx) => work(counted(tx))),
    asMember: (memberId, work) => inner.asMember(memberId, (tx) => work(counted(tx))),
    listen: (channel, onMessage) => inner.listen(channel, onMessage),
    close: () => inner.close(),
  };
  return {
    db,
    get queries() {
      return queries;
    },
  };
}
