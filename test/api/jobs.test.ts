// The job queue: the dwell view is refreshed by its scheduled job, queue and schedule state is visible
// to operators, API-only replicas enqueue without running workers, and two servers sharing one
// Postgres never both run a scheduled job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queues } from '../../server/jobs/queues.js';
import { databaseKinds, openScratchDatabase, TEST_DATABASE_URL } from '../support/databases.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const EVERY_MINUTE = '* * * * *';

/** Cron fires once per minute: start a scenario early in a minute so it cannot straddle two. */
async function atStartOfAMinute(secondsNeeded: number): Promise<void> {
  const second = new Date().getUTCSeconds();
  if (second + secondsNeeded < 58) return;
  await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
}

describe.each(databaseKinds)('jobs and schedules [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: { jobs: { enabled: true, dwellRefreshCron: EVERY_MINUTE } },
      fastJobs: true,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refreshes user_dwell_avg through its scheduled job', async () => {
    await t.scratch.db.query(
      `INSERT INTO members (id) VALUES ('viewer'), ('shown');
       INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('viewer', 'shown', 'dwell', 2500)`,
    );
    const refreshed = await waitFor(
      async () => {
        const { rows } = await t.scratch.db.query<{ avg_dwell_ms: number }>(
          `SELECT avg_dwell_ms FROM user_dwell_avg WHERE user_id = 'shown'`,
        );
        return rows[0];
      },
      30_000,
      'the scheduled dwell refresh',
    );
    expect(refreshed.avg_dwell_ms).toBe(2500);
    const { rows } = await t.scratch.db.query<{ state: string }>(
      `SELECT state::text AS state FROM pgboss.job WHERE name = $1`,
      [Queues.dwellRefresh],
    );
    expect(rows.map((r) => r.state)).toContain('completed');
  });

  it('shows queues and schedules to operators', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/admin/jobs',
      headers: bearer(await t.token('admin')),
    });
    expect(response.statusCode).toBe(200);
    const state = response.json();
    expect(state.workersRunning).toBe(true);
    expect(state.schedules).toEqual(
      expect.arrayContaining([{ name: Queues.dwellRefresh, cron: EVERY_MINUTE, timezone: 'UTC' }]),
    );
    expect(state.queues.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining([Queues.dwellRefresh, Queues.memberReembed]),
    );
    const dwell = state.queues.find((q: { name: string }) => q.name === Queues.dwellRefresh);
    expect(dwell.counts.completed).toBeGreaterThanOrEqual(1);
  });
});

describe.each(databaseKinds)('API-only replicas (SDE_JOBS=off) [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { config: { jobs: { enabled: false, dwellRefreshCron: EVERY_MINUTE } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('enqueue re-embeds but run no workers and install no schedules', async () => {
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member', 'api-only')),
      payload: validAttributes(),
    });
    expect(saved.statusCode).toBe(201);
    const state = (
      await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(await t.token('admin')) })
    ).json();
    expect(state.workersRunning).toBe(false);
    expect(state.schedules).toEqual([]);
    expect(state.queues.find((q: { name: string }) => q.name === Queues.memberReembed).counts.created).toBe(1);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('two servers on one Postgres (needs TEST_DATABASE_URL)', () => {
  it('run a scheduled job once, not once per server', async () => {
    const scratch = await openScratchDatabase('postgres');
    const options = {
      scratch,
      config: { jobs: { enabled: true, dwellRefreshCron: EVERY_MINUTE } },
      fastJobs: true,
    };
    try {
      await atStartOfAMinute(20);
      const servers = await Promise.all([startTestApp('postgres', options), startTestApp('postgres', options)]);
      try {
        await waitFor(
          async () => {
            const { rows } = await scratch.db.query(
              `SELECT 1 FROM pgboss.job WHERE name = $1 AND state = 'completed'`,
              [Queues.dwellRefresh],
            );
            return rows.length > 0 ? true : undefined;
          },
          15_000,
          'the first scheduled run',
        );
        // Both servers keep checking the schedule every second; give them several more chances.
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        const { rows } = await scratch.db.query<{ runs: number }>(
          `SELECT count(*)::int AS runs FROM pgboss.job WHERE name = $1`,
          [Queues.dwellRefresh],
        );
        expect(rows[0]?.runs).toBe(1);
      } finally {
        await Promise.all(servers.map((server) => server.close()));
      }
    } finally {
      await scratch.dispose();
    }
  }, 120_000);
});
