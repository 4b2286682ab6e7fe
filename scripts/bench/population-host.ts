// A child process that owns one benchmark database holding a seeded taste population and serves the
// real app on it over loopback HTTP, so the load generator (the parent process) never shares an event
// loop with the server it measures. PGlite lives inside the process that opened it, so the bare-query
// baseline and the recall measurement run here too, on request over IPC.
//   node --import tsx scripts/bench/population-host.ts '{"driver":"postgres","postgresUrl":"…","members":100000,"jwtSecret":"…"}'
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import type { Database, Queryable } from '../../server/db/database.js';
import { loadDemoFeedback } from '../../server/offline/demo/demo-feedback.js';
import { buildRepositories } from '../../server/composition/repositories.js';
import { ModelRegistry } from '../../server/models/model-registry.service.js';
import { RankerTrainingService } from '../../server/ranking/ranker-training.service.js';
import { benchDatabases, type BenchDatabase } from './bench-databases.js';
import { driveAtRate } from './rate-driver.js';
import { seedTastePopulation } from './taste-population.js';

export interface HostStart {
  driver: BenchDatabase['kind'];
  postgresUrl?: string;
  members: number;
  jwtSecret: string;
  /** Also generate feedback for a share of the members and train a live ranking model on it. */
  liveModel?: boolean;
}

/** Share of the population given past slates and swipes when a live model is wanted (3k viewers at 100k). */
const FEEDBACK_VIEWER_SHARE = 0.03;

export type HostCommand =
  | {
      id: number;
      type: 'baseline';
      rate: number | null;
      connections: number;
      durationMs: number;
      limit: number;
      efSearch: number;
      viewers: string[];
    }
  | { id: number; type: 'recall'; k: number; efSearch: number[]; viewers: string[] }
  | { id: number; type: 'stop' };

export type HostMessage =
  | { type: 'ready'; port: number; viewers: string[]; seed: Record<string, unknown> }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string };

/** Past slates and swipes for a share of the members, and a model trained on them put live. */
async function trainLiveModel(db: Database): Promise<Record<string, unknown>> {
  const feedback = await loadDemoFeedback(db, { viewerShare: FEEDBACK_VIEWER_SHARE });
  await db.query('REFRESH MATERIALIZED VIEW user_dwell_avg');
  const repositories = buildRepositories(db);
  const training = new RankerTrainingService(repositories.trainingData, new ModelRegistry(db, repositories.models));
  const version = await training.train({ actor: 'bench', bootstrap: true });
  return { ...feedback, id: version.id, status: version.status, metrics: version.metrics };
}

/** The taste ANN as the candidates repository issues it: ef_search raised for the transaction only. */
async function annQuery(db: Queryable, viewerId: string, limit: number, efSearch: number): Promise<string[]> {
  await db.query(`SELECT set_config('hnsw.ef_search', $1, true)`, [String(efSearch)]);
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT v.user_id FROM user_taste_vectors v
      ORDER BY v.taste <=> (SELECT taste FROM user_taste_vectors WHERE user_id = $1)
      LIMIT $2`,
    [viewerId, limit],
  );
  return rows.map((row) => row.user_id);
}

/** The true top k by cosine distance: a sequential scan, the index switched off for this transaction. */
async function exactNeighbours(db: Queryable, viewerId: string, k: number): Promise<string[]> {
  await db.query(`SELECT set_config('enable_indexscan', 'off', true)`);
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT v.user_id FROM user_taste_vectors v
      ORDER BY v.taste <=> (SELECT taste FROM user_taste_vectors WHERE user_id = $1), v.user_id
      LIMIT $2`,
    [viewerId, k],
  );
  return rows.map((row) => row.user_id);
}

const start = JSON.parse(process.argv[2] ?? '{}') as HostStart;
const send = (message: HostMessage) => process.send!(message);

const target = benchDatabases(start.postgresUrl).find((candidate) => candidate.kind === start.driver);
if (!target) throw new Error(`population-host: driver ${start.driver} needs a Postgres URL`);
const bench = await target.open();
const seed: Record<string, unknown> = { ...(await seedTastePopulation(bench.db, start.members)) };
if (start.liveModel) seed.model = await trainLiveModel(bench.db);
const dataDir = mkdtempSync(path.join(tmpdir(), 'sde-bench-host-'));
const config = loadConfig({
  SDE_DATA_DIR: dataDir,
  SDE_JWT_SECRET: start.jwtSecret,
  LOG_LEVEL: 'silent',
  SDE_JOBS: 'off',
});
const app = await buildApp(config, { database: bench.db });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const { rows } = await bench.db.query<{ id: string }>('SELECT id FROM members ORDER BY md5(id)');
send({
  type: 'ready',
  port: typeof address === 'object' && address ? address.port : 0,
  viewers: rows.map((row) => row.id),
  seed,
});

async function baseline(command: Extract<HostCommand, { type: 'baseline' }>) {
  // Postgres: a bare `pg` pool with one connection per lane. PGlite: its single in-process connection.
  const pool =
    start.driver === 'postgres' ? new pg.Pool({ connectionString: bench.url, max: command.connections }) : null;
  try {
    const viewers = command.viewers;
    return await driveAtRate({
      rate: command.rate,
      connections: command.connections,
      durationMs: command.durationMs,
      task: async (n) => {
        const viewer = viewers[n % viewers.length]!;
        if (pool) {
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await annQuery(client, viewer, command.limit, command.efSearch);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        } else {
          await bench.db.transaction((tx) => annQuery(tx, viewer, command.limit, command.efSearch));
        }
      },
    });
  } finally {
    await pool?.end();
  }
}

async function recall(command: Extract<HostCommand, { type: 'recall' }>) {
  const totals = new Map<number, number>(command.efSearch.map((ef) => [ef, 0]));
  for (const viewer of command.viewers) {
    const exact = new Set(await bench.db.transaction((tx) => exactNeighbours(tx, viewer, command.k)));
    for (const ef of command.efSearch) {
      const approximate = await bench.db.transaction((tx) => annQuery(tx, viewer, command.k, ef));
      const found = approximate.filter((id) => exact.has(id)).length;
      totals.set(ef, totals.get(ef)! + found / Math.max(1, exact.size));
    }
  }
  return command.efSearch.map((ef) => ({ efSearch: ef, recall: totals.get(ef)! / command.viewers.length }));
}

process.on('message', (command: HostCommand) => {
  const run = async () => {
    switch (command.type) {
      case 'baseline':
        return baseline(command);
      case 'recall':
        return recall(command);
      case 'stop':
        await app.close();
        await bench.dispose();
        rmSync(dataDir, { recursive: true, force: true });
        return null;
    }
  };
  run().then(
    (value) => {
      send({ type: 'result', id: command.id, value });
      if (command.type === 'stop') process.disconnect();
    },
    (error: unknown) =>
      send({ type: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
