// PrivacyService on a real database with the real job queue, without HTTP: what switching each group off
// sets in motion (deleted events or their scheduled deletion, revoked connector tokens, a deleted taste
// vector, one re-embed, a dwell refresh), that a no-op sets nothing in motion, that a failure part-way
// leaves the flag and the data as they were (one transaction), and the refusals by kind, field and topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue } from '../../server/jobs/job-queue.js';
import { QueueContracts, Queues } from '../../server/jobs/queues.js';
import { DEFAULT_SETTINGS, PrivacyService, requireSomeGroup } from '../../server/privacy/privacy.service.js';
import { reembedQueue } from '../../server/taste/reembed.queue.js';
import type { PrivacyPatch } from '../../shared/schemas/privacy.js';
import { databaseKinds } from '../support/databases.js';
import { addTasteVector } from '../support/taste-vectors.js';
import {
  addMember,
  countOf,
  recordedMemberChanges,
  refusalOf,
  serviceHarness,
  silentLog,
} from '../support/service-harness.js';

const timings = { cronCheckSeconds: 30, pollingSeconds: 2 };

describe.each(databaseKinds)('PrivacyService [%s]', (kind) => {
  const harness = serviceHarness(kind);
  let jobs: JobQueue;
  /** Knows only the re-embed queue, so an effect that queues a dwell refresh fails inside the transaction. */
  let jobsWithoutDwellRefresh: JobQueue;

  beforeAll(async () => {
    jobs = new JobQueue(harness.db, { ...timings, runWorkers: false }, silentLog);
    jobs.define(reembedQueue);
    jobs.define({ queue: QueueContracts.dwellRefresh, options: { policy: 'stately' } });
    await jobs.start();
    jobsWithoutDwellRefresh = new JobQueue(harness.db, { ...timings, runWorkers: false }, silentLog);
    jobsWithoutDwellRefresh.define(reembedQueue);
    await jobsWithoutDwellRefresh.start();
  });
  afterAll(async () => {
    await jobs?.stop();
    await jobsWithoutDwellRefresh?.stop();
  });

  function privacyService(options: { graceDays?: number; jobs?: JobQueue } = {}) {
    const { memberChanges, published } = recordedMemberChanges();
    const service = new PrivacyService(harness.db, harness.repositories.privacy, options.jobs ?? jobs, memberChanges, {
      behaviouralGraceDays: options.graceDays ?? 0,
    });
    return { service, published };
  }

  const queued = (queue: string, memberId: string) =>
    countOf(harness.db, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'memberId' = $2`, [
      queue,
      memberId,
    ]);
  const dwellRefreshes = () =>
    countOf(harness.db, `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1`, [Queues.dwellRefresh]);
  const eventsOf = (memberId: string) =>
    countOf(harness.db, 'SELECT count(*)::int AS n FROM scroll_events WHERE user_id = $1', [memberId]);
  async function addEvents(memberId: string, count: number) {
    for (let i = 0; i < count; i++) {
      await harness.db.query(
        `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ($1, 'ps-other', 'dwell', 900)`,
        [memberId],
      );
    }
  }

  beforeAll(async () => {
    await addMember(harness.db, 'ps-other');
  });

  it('refuses an empty patch with its field, and a member without a record by topic', async () => {
    const empty = await refusalOf(() => requireSomeGroup({}, 'input'));
    expect({ kind: empty.kind, field: empty.field }).toEqual({ kind: 'malformed', field: 'input' });
    expect(() => requireSomeGroup({ favorites: false }, 'input')).not.toThrow();

    const { service, published } = privacyService();
    const unknown = await refusalOf(service.update('ps-nobody', { interests: false }));
    expect({ kind: unknown.kind, topic: unknown.topic }).toEqual({ kind: 'not_found', topic: 'member' });
    expect(await service.get('ps-nobody')).toEqual({ settings: DEFAULT_SETTINGS, effects: [] });
    expect(published).toEqual([]);
  });

  it('sets nothing in motion when nothing changes', async () => {
    await addMember(harness.db, 'ps-same');
    const { service, published } = privacyService();
    const result = await service.update('ps-same', { interests: true, favorites: true });
    expect(result.effects).toEqual([]);
    expect(result.settings.interests).toEqual({ enabled: true, changedAt: null });
    expect(await queued(Queues.memberReembed, 'ps-same')).toBe(0);
    expect(published).toEqual([]);
  });

  it('turns every group off in one change: each effect once, one re-embed, one notice', async () => {
    await addMember(harness.db, 'ps-all');
    await addEvents('ps-all', 3);
    await harness.db.query(
      `INSERT INTO connector_accounts (member_id, connector, state) VALUES ('ps-all', 'spotify', 'done')`,
    );
    await addTasteVector(harness.db, 'ps-all', 1);
    const refreshesBefore = await dwellRefreshes();
    const { service, published } = privacyService();

    const patch: PrivacyPatch = { interests: false, behavioural: false, connectors: false, favorites: false };
    const result = await service.update('ps-all', patch);
    expect(result.effects).toEqual([
      { effect: 'behavioural_events_deleted', group: 'behavioural', count: 3 },
      { effect: 'connector_syncs_stopped', group: 'connectors' },
      { effect: 'connector_tokens_revoked', group: 'connectors', count: 1 },
      { effect: 'taste_vector_deleted', group: 'favorites', count: 1 },
      { effect: 'reembed_queued' },
      { effect: 'caches_invalidated' },
    ]);
    for (const group of ['interests', 'behavioural', 'connectors', 'favorites'] as const) {
      expect(result.settings[group].enabled).toBe(false);
      expect(result.settings[group].changedAt).not.toBeNull();
    }
    expect(await service.get('ps-all')).toEqual({ settings: result.settings, effects: [] });
    expect(await eventsOf('ps-all')).toBe(0);
    expect(
      await countOf(harness.db, `SELECT count(*)::int AS n FROM connector_accounts WHERE member_id = 'ps-all'`),
    ).toBe(0);
    expect(
      await countOf(harness.db, `SELECT count(*)::int AS n FROM user_taste_vectors WHERE user_id = 'ps-all'`),
    ).toBe(0);
    expect(await queued(Queues.memberReembed, 'ps-all')).toBe(1);
    expect(await dwellRefreshes()).toBeGreaterThan(refreshesBefore);
    expect(published).toEqual([{ memberId: 'ps-all', reason: 'privacy' }]);

    // Favorites back on asks for a rebuild (the re-embed queue keeps one waiting job per member).
    const back = await service.update('ps-all', { favorites: true });
    expect(back.effects).toEqual([{ effect: 'rebuild_queued', group: 'favorites' }, { effect: 'caches_invalidated' }]);
    expect(await queued(Queues.memberReembed, 'ps-all')).toBe(1);
  });

  it('with a grace period, schedules the behavioural deletion instead of deleting now', async () => {
    await addMember(harness.db, 'ps-grace');
    await addEvents('ps-grace', 2);
    const { service } = privacyService({ graceDays: 30 });
    const before = Date.now();
    const result = await service.update('ps-grace', { behavioural: false });
    const scheduled = result.effects.find((effect) => effect.effect === 'behavioural_events_deletion_scheduled');
    expect(scheduled?.group).toBe('behavioural');
    expect(Date.parse(scheduled!.at!) - before).toBeGreaterThanOrEqual(30 * 24 * 60 * 60 * 1000 - 1000);
    expect(await eventsOf('ps-grace')).toBe(2);
    // Within the grace period the daily purge keeps them.
    await service.purgeExpiredBehaviouralEvents();
    expect(await eventsOf('ps-grace')).toBe(2);
  });

  it('leaves the flag and the data as they were when an effect fails part-way', async () => {
    await addMember(harness.db, 'ps-rollback');
    await addEvents('ps-rollback', 2);
    const { service, published } = privacyService({ jobs: jobsWithoutDwellRefresh });
    await expect(service.update('ps-rollback', { behavioural: false })).rejects.toThrow(/dwell_refresh/);
    expect((await service.get('ps-rollback')).settings.behavioural).toEqual({ enabled: true, changedAt: null });
    expect(await eventsOf('ps-rollback')).toBe(2);
    expect(await queued(Queues.memberReembed, 'ps-rollback')).toBe(0);
    expect(published).toEqual([]);
  });
});
