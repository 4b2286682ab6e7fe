// What durable commits cost on embedded PGlite: N single-row autocommit INSERTs on a data folder with
// the engine's driver (fsync on, wal_sync_method = fsync, a real fsync in NODEFS) against PGlite's own
// defaults (`-F`: fsync off, nothing reaches the disk). Per-commit latency, on this machine's disk.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPglite } from '../../server/db/pglite-driver.js';
import type { Queryable } from '../../server/db/database.js';
import { summarise, timed } from './stats.js';

export interface DurabilityBenchOptions {
  commits?: number;
}

async function commitLatencies(db: Queryable, commits: number): Promise<number[]> {
  await db.query('CREATE TABLE commits (id serial PRIMARY KEY, note text)');
  for (let i = 0; i < 20; i++) await db.query('INSERT INTO commits (note) VALUES ($1)', ['warm-up']);
  const samples: number[] = [];
  for (let i = 0; i < commits; i++) {
    samples.push(await timed(() => db.query('INSERT INTO commits (note) VALUES ($1)', [`commit ${i}`])));
  }
  return samples;
}

export async function runDurabilityBench(options: DurabilityBenchOptions = {}): Promise<Record<string, unknown>> {
  const commits = options.commits ?? 500;
  // Under the working directory, not os.tmpdir(): /tmp may be a RAM disk where fsync costs nothing.
  const root = mkdtempSync(path.join(process.cwd(), '.bench', 'durability-'));
  const results: Record<string, unknown>[] = [];
  try {
    const durable = await openPglite(path.join(root, 'durable'));
    try {
      results.push({
        mode: 'durable (engine driver)',
        commits,
        latencyMs: summarise(await commitLatencies(durable, commits)),
      });
    } finally {
      await durable.close();
    }
    const relaxed = await PGlite.create({ dataDir: path.join(root, 'pglite-default') });
    try {
      const db: Queryable = {
        query: async (sql, params) => {
          const result = await relaxed.query(sql, params as unknown[]);
          return { rows: result.rows as never[], rowCount: result.affectedRows ?? 0 };
        },
      };
      results.push({
        mode: 'PGlite default (fsync off)',
        commits,
        latencyMs: summarise(await commitLatencies(db, commits)),
      });
    } finally {
      await relaxed.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { driver: 'pglite', platform: os.platform(), folder: path.relative(process.cwd(), root), results };
}
