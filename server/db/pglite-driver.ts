// Embedded Postgres (PGlite, WASM) with pgvector and pg_trgm: the desktop and zero-setup driver.
// PGlite is one session, so it serialises queries itself; transactions hold it exclusively.
//
// Durability. Out of the box PGlite acknowledges a commit without anything reaching the disk: it
// starts Postgres with `-F` (fsync = off), Emscripten's `fdatasync` (Postgres's default
// wal_sync_method on Linux) is an empty stub, and its NODEFS file system has no `fsync` at all. A
// commit survived kill -9 (the page cache keeps it) but not a power cut or an OS crash. On a data
// folder we therefore start Postgres without `-F`, with wal_sync_method = fsync (the one call that
// reaches the file system), and give NODEFS a real fsync (fs.fsyncSync on the file's descriptor), so
// every acknowledged commit has its WAL fsynced before PGlite returns — the same guarantee as
// Postgres with synchronous_commit = on. docs/operations.md has the measured cost.
import { fsyncSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { assertChannelName, type Database, type Queryable, type QueryResult } from './database.js';
import { asMemberIn } from './member-session.js';
import { makePrivateDir } from './private-dir.js';

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

/** Postgres settings that make a commit durable on a data folder (see the top of this file). */
export const DURABLE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  '-c',
  'fsync=on',
  '-c',
  'wal_sync_method=fsync',
  '-c',
  'synchronous_commit=on',
];

interface NodefsStream {
  nfd?: number;
}

/** NODEFS with a real fsync: Emscripten's has none, so Postgres's fsync() calls did nothing. */
class DurableNodeFS extends NodeFS {
  override async init(...args: Parameters<NodeFS['init']>): ReturnType<NodeFS['init']> {
    const result = await super.init(...args);
    const preRun = result.emscriptenOpts.preRun ?? [];
    result.emscriptenOpts.preRun = [
      ...preRun,
      (mod) => {
        const nodefs = (mod.FS as unknown as { filesystems: Record<string, { stream_ops?: Record<string, unknown> }> })
          .filesystems.NODEFS;
        // A PGlite upgrade that moves this must fail loudly, not quietly lose durability again.
        if (!nodefs?.stream_ops) throw new Error('PGlite: Emscripten NODEFS not found; cannot make commits durable');
        nodefs.stream_ops.fsync = (stream: NodefsStream) => {
          if (stream.nfd !== undefined) fsyncSync(stream.nfd);
          return 0;
        };
      },
    ];
    return result;
  }
}

/**
 * `dataDir` undefined keeps the database in memory (tests; nothing to make durable). On disk the
 * folder is made private (0700, no group/other bits below it) and commits are fsynced.
 */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  let storage = {};
  if (dataDir) {
    makePrivateDir(dataDir);
    storage = { fs: new DurableNodeFS(dataDir), startParams: [...DURABLE_START_PARAMS] };
  }
  const db = await PGlite.create({ ...storage, extensions: { vector, pg_trgm }, parsers });
  // A fresh folder is filled from initdb's image with explicit chmods to 0666, which no umask
  // narrows: tighten once more now that PGlite has written it.
  if (dataDir) makePrivateDir(dataDir);
  const transaction: Database['transaction'] = (work) => db.transaction((tx) => work(queryableOver(tx)));
  return {
    driver: 'pglite',
    ...queryableOver(db),
    transaction,
    asMember: (memberId, work) => asMemberIn(transaction, memberId, work),
    // One session serves every app sharing this instance, and PGlite delivers a NOTIFY to each of
    // its listeners once the sending statement (or its transaction) completes.
    async listen(channel, onMessage) {
      assertChannelName(channel);
      const unlisten = await db.listen(channel, onMessage);
      return async () => {
        if (!db.closed) await unlisten();
      };
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
