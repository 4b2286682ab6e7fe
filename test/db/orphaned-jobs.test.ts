// An interrupted first start must resume: on embedded PGlite (one process per data folder) a job left
// `active` by a killed process is failed at the next start, so its queue — e.g. the singleton ranker
// training that gives a fresh install its first model — is not blocked until the job expires an hour on.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { JobQueue, type QueueDefinition } from '../../server/jobs/job-queue.js';
import { defineQueue } from '../../server/jobs/queues.js';
import { openScratchDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const silent = Fastify({ logger: false }).log;
const timings = { cronCheckSeconds: 30, pollingSeconds: 0.5 };
const orphanProbe = defineQueue('orphan_probe', Type.Object({ attempt: Type.Number() }));

describe('jobs orphaned by a killed process [pglite]', () => {
  it('first start: a singleton job left active by a killed process no longer blocks its queue for an hour', async () => {
    const scratch = await openScratchDatabase('pglite');
    try {
      const ran: string[] = [];
      const queue = (
        handler?: QueueDefinition<typeof orphanProbe>['handler'],
      ): QueueDefinition<typeof orphanProbe> => ({
        queue: orphanProbe,
        options: { policy: 'singleton', retryLimit: 0, expireInSeconds: 3600 },
        handler,
      });
      // The killed run: it queued the job and a worker had taken it when the process died.
      const killed = new JobQueue(scratch.db, { ...timings, runWorkers: false }, silent);
      killed.define(queue());
      await killed.start();
      await killed.send(orphanProbe, { attempt: 1 }, { singletonKey: 'bootstrap' });
      await scratch.db.query(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = 'orphan_probe'`);
      await killed.stop();

      const restarted = new JobQueue(scratch.db, { ...timings, runWorkers: true, soleWorkerProcess: true }, silent);
      restarted.define(
        queue(async (data) => {
          ran.push(String(data.attempt));
        }),
      );
      await restarted.start();
      try {
        // The restart queues the step again, as the ranking module does when no model is live.
        expect(await restarted.send(orphanProbe, { attempt: 2 }, { singletonKey: 'bootstrap' })).not.toBeNull();
        await waitFor(async () => ran.includes('2') || undefined, 20_000, 'the re-queued job to run');
        const { rows } = await scratch.db.query<{ state: string }>(
          `SELECT state::text AS state FROM pgboss.job WHERE name = 'orphan_probe' AND data->>'attempt' = '1'`,
        );
        expect(rows.map((row) => row.state)).toEqual(['failed']);
      } finally {
        await restarted.stop();
      }
    } finally {
      await scratch.dispose();
    }
  });
});
