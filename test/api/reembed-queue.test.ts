// The re-embed queue drains in batches (issue 11): re-embeds queued together are fetched together by
// one worker instead of one per poll, every one of them is processed, a member is still queued once
// however often a change asks, and one failing job in a batch fails alone.
import { Type } from '@sinclair/typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../server/jobs/job-queue.js';
import { defineQueue, Queues } from '../../server/jobs/queues.js';
import { requestReembed } from '../../server/taste/reembed.queue.js';
import { databaseKinds, openScratchDatabase } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const MEMBERS = 12;

describe.each(databaseKinds)('re-embed queue [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { fastJobs: true, config: { dataDir: await dataDirWithSharedWordVectors() } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('why: re-embed jobs drain in batches, not one per poll; N queued re-embeds are all processed', async () => {
    const ids = Array.from({ length: MEMBERS }, (_, i) => `reembed-${i}`);
    for (const id of ids) {
      await t.scratch.db.query(
        `INSERT INTO members (id, gender, seeking, birthday, hobbies, communities)
         VALUES ($1, 'woman', ARRAY['man'], '1990-01-01', ARRAY['climbing', 'film noir'], ARRAY['Berlin Techno'])`,
        [id],
      );
    }
    // Queued in one transaction, so the worker finds all of them at its next poll; each member is asked
    // for three times, as quick successive profile saves would.
    const sent = await t.scratch.db.transaction(async (tx) => {
      const jobIds: Array<string | null> = [];
      for (let round = 0; round < 3; round++) {
        for (const id of ids) jobIds.push(await requestReembed(t.app.engine.jobs, id, 'profile_saved', tx));
      }
      return jobIds;
    });
    expect(sent.filter((id) => id !== null)).toHaveLength(MEMBERS);

    const jobs = await waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ member: string; state: string; started: string }>(
          `SELECT data->>'memberId' AS member, state::text AS state, started_on::text AS started
             FROM pgboss.job WHERE name = $1 AND data->>'memberId' LIKE 'reembed-%'`,
          [Queues.memberReembed],
        );
        return rows.every((row) => row.state === 'completed') ? rows : undefined;
      },
      60_000,
      'every queued re-embed to complete',
    );
    // One job per member (the per-member dedupe holds), all completed, every member's vector built.
    expect(jobs.map((job) => job.member).sort()).toEqual([...ids].sort());
    const vectors = await t.scratch.db.query<{ user_id: string }>(
      `SELECT user_id FROM user_taste_vectors WHERE user_id LIKE 'reembed-%'`,
    );
    expect(vectors.rows.map((row) => row.user_id).sort()).toEqual([...ids].sort());
    // Jobs fetched together share their start time: at least one fetch took several jobs.
    const perFetch = new Map<string, number>();
    for (const job of jobs) perFetch.set(job.started, (perFetch.get(job.started) ?? 0) + 1);
    expect(Math.max(...perFetch.values())).toBeGreaterThan(1);
  });
});

/** Fastify's logger with logging off: a no-op logger of the right type for a bare JobQueue. */
const silent = Fastify({ logger: false }).log;

describe.each(databaseKinds)('batched job queue [%s]', (kind) => {
  it('fails only the job that threw; its batch-mates complete', async () => {
    const scratch = await openScratchDatabase(kind);
    const jobs = new JobQueue(scratch.db, { runWorkers: true, cronCheckSeconds: 30, pollingSeconds: 0.5 }, silent);
    try {
      const handled: string[] = [];
      const batchProbe = defineQueue('batch_probe', Type.Object({ n: Type.Number() }));
      jobs.define({
        queue: batchProbe,
        options: { policy: 'standard', retryLimit: 0 },
        batchSize: 10,
        handler: async (data) => {
          handled.push(String(data.n));
          if (data.n === 3) throw new Error('job 3 cannot succeed');
        },
      });
      await jobs.start();
      await scratch.db.transaction(async (tx) => {
        for (let n = 0; n < 6; n++) await jobs.send(batchProbe, { n }, { tx });
      });
      const states = await waitFor(
        async () => {
          const { rows } = await scratch.db.query<{ n: string; state: string }>(
            `SELECT data->>'n' AS n, state::text AS state FROM pgboss.job WHERE name = 'batch_probe' ORDER BY 1`,
          );
          return rows.every((row) => row.state === 'completed' || row.state === 'failed') ? rows : undefined;
        },
        30_000,
        'every probe job to finish',
      );
      expect(states).toEqual([
        { n: '0', state: 'completed' },
        { n: '1', state: 'completed' },
        { n: '2', state: 'completed' },
        { n: '3', state: 'failed' },
        { n: '4', state: 'completed' },
        { n: '5', state: 'completed' },
      ]);
      expect(handled.sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    } finally {
      await jobs.stop();
      await scratch.dispose();
    }
  });
});
