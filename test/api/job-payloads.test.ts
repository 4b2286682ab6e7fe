// Job payloads are checked against their queue's schema (server/jobs/queues.ts) before a worker runs:
// a job whose payload does not match (queued by an older version, or by hand) fails with an error that
// names the field, and its handler never sees it. The real app's workers, on each database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueContracts, type PayloadOf } from '../../server/jobs/queues.js';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseKinds)('job payloads [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: { jobs: { enabled: true, dwellRefreshCron: '*/5 * * * *' } },
      fastJobs: true,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Waits until the job has failed once (failed, or waiting for a retry) and returns its error message. */
  async function failureOf(jobId: string): Promise<{ state: string; message: string }> {
    return waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ state: string; message: string | null }>(
          `SELECT state::text AS state, output->>'message' AS message FROM pgboss.job WHERE id = $1`,
          [jobId],
        );
        const row = rows[0];
        return row && (row.state === 'failed' || row.state === 'retry') && row.message
          ? { state: row.state, message: row.message }
          : undefined;
      },
      20_000,
      `job ${jobId} to fail`,
    );
  }

  it('fails a job whose field has the wrong type, naming the field', async () => {
    // The compiler refuses this payload; the cast stands for a job queued by something that does not check.
    const bad = { actor: 42 } as unknown as PayloadOf<typeof QueueContracts.rankerTrain>;
    const jobId = await t.app.engine.jobs.send(QueueContracts.rankerTrain, bad);
    expect(jobId).not.toBeNull();
    const failure = await failureOf(jobId!);
    expect(failure.state).toBe('failed'); // ranker_train is never retried
    expect(failure.message).toMatch(/^ranker_train job payload: actor: /);
    const { rows } = await t.scratch.db.query(`SELECT 1 FROM model_versions`);
    expect(rows).toHaveLength(0);
  });

  it('fails a job that lacks a required field, naming the field', async () => {
    const bad = { exportId: 'e-1' } as unknown as PayloadOf<typeof QueueContracts.memberExport>;
    const jobId = await t.app.engine.jobs.send(QueueContracts.memberExport, bad);
    const failure = await failureOf(jobId!);
    expect(failure.message).toMatch(/^member_export job payload: memberId: /);
  });
});
