// The online learner through its admin API on each database: a cycle on labelled feedback trains a
// candidate and puts it in shadow; pausing stops cycles (and is audited); the promotion gate refuses a
// clearly worse shadow model and promotes a better one on real shadow traffic (slates logged as the
// slate service logs them, swipes through the feedback API); a promotion whose like rate then drops is
// rolled back. Every decision is read back through GET /api/v2/admin/learner with its figures.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureRow } from '../../server/features/pair-features.service.js';
import { OnlineLearner } from '../../server/learning/online-learner.service.js';
import type { LearnerDecision, LearnerStatus, OnlineEstimate } from '../../shared/schemas/learning.js';
import type { ModelDetail } from '../../shared/schemas/models.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { registerRanker } from '../support/register-ranker.js';
import { tinyRankerModel } from '../support/route-examples/models.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { Queues } from '../../server/jobs/queues.js';

const LEARNER = '/api/v2/admin/learner';
const HOUR_MS = 3_600_000;

describe.each(databaseKinds)('online learner [%s]', (kind) => {
  let t: TestApp;
  let seeded: SeededFeedback;
  let operator: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    seeded = await seedFeedback(t.scratch.db, { viewers: 30, candidates: 10, prefix: 'ln' });
    await registerRanker(t.app.engine.models, 'weak-live', tinyRankerModel(0.1), 'live');
    operator = bearer(await t.token('ml_engineer'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function status(query = ''): Promise<LearnerStatus> {
    const response = await t.app.inject({ method: 'GET', url: `${LEARNER}${query}`, headers: operator });
    expect(response.statusCode).toBe(200);
    return response.json<LearnerStatus>();
  }

  async function modelStatus(id: string): Promise<string> {
    const response = await t.app.inject({ method: 'GET', url: `/api/v2/admin/models/${id}`, headers: operator });
    return response.json<ModelDetail>().status;
  }

  /** The same learner as the engine's, judging shadows with smaller samples. */
  function learnerWithShadowEvaluation(now?: () => Date): OnlineLearner {
    const { engine } = t.app;
    const settings = engine.config.learning;
    return new OnlineLearner({
      db: engine.db,
      repository: engine.repositories.learner,
      models: engine.models,
      training: engine.rankerTraining,
      evaluator: engine.shadowEvaluation,
      settings: {
        ...settings,
        gate: { ...settings.gate, minShadowImpressions: 100 },
        rollback: { ...settings.rollback, minImpressions: 100 },
      },
      ...(now ? { now } : {}),
    });
  }

  /**
   * One slate per viewer served by `served` (candidates in seed order), logged as the slate service logs
   * it — impressions, and the shadow model's order when one is given — then each viewer swipes through
   * the feedback API: a like where `liked(candidate)`, else a pass.
   */
  async function serveAndSwipe(
    served: string,
    shadow: { model: string; order: (ids: string[]) => string[] } | null,
    liked: (candidateId: string, position: number) => boolean,
  ): Promise<void> {
    const { slates } = t.app.engine.repositories;
    for (const viewer of seeded.viewerIds) {
      const slateId = randomUUID();
      const order = seeded.candidateIds;
      const batch = await t.app.engine.pairFeatures.featuresFor(viewer, order);
      await slates.logImpressions(
        slateId,
        viewer,
        order.map((candidateId, position) => ({
          candidateId,
          position,
          features: featureRow(batch, batch.candidateIds.indexOf(candidateId)),
        })),
        served,
        shadow ? 'shadow' : 'control',
      );
      if (shadow) {
        await slates.logShadowRanking({
          slateId,
          viewerId: viewer,
          servedModel: served,
          shadowModel: shadow.model,
          servedOrder: order,
          shadowOrder: shadow.order(order),
          shadowScores: order.map(() => 0),
          // Every candidate is served in either order: the post-rank stages remove nobody here.
          shadowSlate: shadow.order(order),
          served: { parityShortfall: 0, safetyRemovals: 0, rankMs: 1 },
          shadow: { parityShortfall: 0, safetyRemovals: 0, rankMs: 1 },
        });
      }
      const headers = bearer(await t.token('member', viewer));
      for (const [position, targetId] of order.entries()) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v2/discovery/feedback',
          headers,
          payload: { targetId, action: liked(targetId, position) ? 'like' : 'pass', slateId },
        });
        expect(response.statusCode).toBe(201);
      }
    }
  }

  const sharesHobby = (id: string) => seeded.sharingHobby.includes(id);
  const hobbyFirst = (ids: string[]) => [...ids.filter(sharesHobby), ...ids.filter((id) => !sharesHobby(id))];
  const hobbyLast = (ids: string[]) => [...ids.filter((id) => !sharesHobby(id)), ...ids.filter(sharesHobby)];

  it('a cycle on labelled feedback trains a candidate, measures it against live on held-out viewers, and shadows it', async () => {
    const run = await t.app.inject({ method: 'POST', url: `${LEARNER}/run`, headers: operator });
    expect(run.statusCode).toBe(200);
    const decisions = run.json<{ decisions: LearnerDecision[] }>().decisions;
    expect(decisions.map((decision) => decision.kind)).toEqual(['trained', 'shadowed']);
    const [trained] = decisions;
    expect(trained).toMatchObject({ liveModelId: 'weak-live', actor: 'ml_engineer-1' });
    expect(trained!.figures).toMatchObject({
      warmStart: false,
      metrics: { 'ndcg@10': expect.any(Number), trainViewers: expect.any(Number) },
      heldOut: { candidateNdcg10: expect.any(Number), liveNdcg10: expect.any(Number), viewers: expect.any(Number) },
    });
    expect(await modelStatus(trained!.modelId!)).toBe('shadow');
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/v2/admin/models/${trained!.modelId}`,
      headers: operator,
    });
    expect(detail.json<ModelDetail>().history.map((change) => change.changedBy)).toEqual(['learner', 'learner']);

    // The timeline shows them newest first; the next cycle finds the model in shadow with no estimate
    // yet (the engine's evaluator has no shadow slates to read), so it waits and records nothing.
    expect((await status()).decisions.map((decision) => decision.kind)).toEqual(['shadowed', 'trained']);
    const again = await t.app.inject({ method: 'POST', url: `${LEARNER}/run`, headers: operator });
    expect(again.json()).toEqual({ decisions: [] });
    const page = await status(`?limit=1&before=${decisions[1]!.id}`);
    expect(page.decisions.map((decision) => decision.id)).toEqual([decisions[0]!.id]);
  }, 120_000);

  it('pausing stops every cycle until resumed; both are recorded with who and why; 409 on no change', async () => {
    const pause = await t.app.inject({
      method: 'PATCH',
      url: LEARNER,
      headers: operator,
      payload: { paused: true, note: 'holiday freeze' },
    });
    expect(pause.statusCode).toBe(200);
    expect(pause.json()).toMatchObject({ paused: true, changedBy: 'ml_engineer-1', schedule: '*/30 * * * *' });
    const twice = await t.app.inject({ method: 'PATCH', url: LEARNER, headers: operator, payload: { paused: true } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain('already paused');

    const run = await t.app.inject({ method: 'POST', url: `${LEARNER}/run`, headers: operator });
    expect(run.statusCode).toBe(409);
    expect(run.json().message).toContain('paused');
    const before = (await status()).decisions.length;
    expect(await t.app.engine.learner.runOnce({ actor: 'learner' })).toEqual([]);
    expect((await status()).decisions.length).toBe(before);

    const reviewer = bearer(await t.token('reviewer'));
    expect((await t.app.inject({ method: 'GET', url: LEARNER, headers: reviewer })).statusCode).toBe(200);
    const refused = await t.app.inject({
      method: 'PATCH',
      url: LEARNER,
      headers: reviewer,
      payload: { paused: false },
    });
    expect(refused.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'PATCH', url: LEARNER, headers: operator, payload: { paused: 'no' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body.paused');

    const resume = await t.app.inject({ method: 'PATCH', url: LEARNER, headers: operator, payload: { paused: false } });

    // A cycle holding the run lease (another replica's, or the schedule's) keeps any other from starting.
    const { learner } = t.app.engine.repositories;
    expect(await learner.claimRun('another-replica', 3600)).toBe(true);
    const busy = await t.app.inject({ method: 'POST', url: `${LEARNER}/run`, headers: operator });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().message).toContain('a learner cycle is running');
    expect(await t.app.engine.learner.runOnce({ actor: 'learner' })).toEqual([]);
    await learner.releaseRun('another-replica');
    expect(resume.json()).toMatchObject({ paused: false });
    const [resumed, paused] = (await status('?limit=2')).decisions;
    expect(paused).toMatchObject({ kind: 'paused', reason: 'holiday freeze', actor: 'ml_engineer-1' });
    expect(resumed).toMatchObject({ kind: 'resumed', reason: 'resumed by ml_engineer-1' });
  });

  it('the gate refuses a clearly worse shadow model and promotes a better one, with the figures', async () => {
    const learner = learnerWithShadowEvaluation();
    await registerRanker(t.app.engine.models, 'contrary', hobbyRankerModel('unshared'));
    await t.app.engine.models.promote('contrary', 'shadow', 'test');
    await serveAndSwipe('weak-live', { model: 'contrary', order: hobbyLast }, sharesHobby);
    const [refused] = await learner.runOnce({ actor: 'learner' });
    expect(refused).toMatchObject({ kind: 'refused', modelId: 'contrary', liveModelId: 'weak-live' });
    expect(refused!.reason).toMatch(/offline NDCG@10 .* is not 0 above live/);
    expect(refused!.reason).toMatch(/like-rate lift lower bound -?\d.* is not above 0/);
    expect(refused!.figures).toMatchObject({
      offline: { candidateNdcg10: expect.any(Number), liveNdcg10: expect.any(Number) },
      online: { impressions: 300 },
      thresholds: { minShadowImpressions: 100, offlineMargin: 0, onlineMargin: 0 },
    });
    expect((refused!.figures as { online: OnlineEstimate }).online.counterfactual.liftUpper).toBeLessThan(0);
    expect(await modelStatus('contrary')).toBe('retired');

    await registerRanker(t.app.engine.models, 'hobby', hobbyRankerModel());
    await t.app.engine.models.promote('hobby', 'shadow', 'test');
    await serveAndSwipe('weak-live', { model: 'hobby', order: hobbyFirst }, sharesHobby);
    const [promoted] = await learner.runOnce({ actor: 'learner' });
    expect(promoted).toMatchObject({ kind: 'promoted', modelId: 'hobby', liveModelId: 'weak-live' });
    const figures = promoted!.figures as { offline: { candidateNdcg10: number; liveNdcg10: number } };
    expect(figures.offline.candidateNdcg10).toBeGreaterThan(figures.offline.liveNdcg10);
    expect(await modelStatus('hobby')).toBe('live');
    expect(await modelStatus('weak-live')).toBe('retired');
    expect((await status('?limit=2')).decisions.map((decision) => decision.kind)).toEqual(['promoted', 'refused']);
  }, 120_000);

  it('a learner promotion whose like rate then drops significantly is rolled back, once', async () => {
    // After the promotion, viewers like only the first candidate of each slate: 10 % against 50 % before.
    await serveAndSwipe('hobby', null, (_id, position) => position === 0);
    // An hour on, the equal window before the promotion holds the previous model's 600 impressions.
    const learner = learnerWithShadowEvaluation(() => new Date(Date.now() + HOUR_MS));
    const [rolledBack] = await learner.runOnce({ actor: 'learner' });
    expect(rolledBack).toMatchObject({ kind: 'rolled_back', modelId: 'hobby', liveModelId: 'weak-live' });
    expect(rolledBack!.figures).toMatchObject({
      previousModelId: 'weak-live',
      previous: { impressions: 600, likes: 300 },
      current: { impressions: 300, likes: 30 },
      verdict: 'dropped',
      thresholds: { maxDrop: 0.1, minImpressions: 100, alpha: 0.05 },
    });
    expect((rolledBack!.figures as { pValue: number }).pValue).toBeLessThan(0.05);
    expect(await modelStatus('weak-live')).toBe('live');
    expect(await modelStatus('hobby')).toBe('retired');

    // The promotion's record keeps the verdict; the next cycle does not judge it again (it trains instead).
    const promotion = (await status()).decisions.find((decision) => decision.kind === 'promoted')!;
    expect(promotion.figures).toMatchObject({ rollbackWatch: { verdict: 'dropped' } });
    const next = await learner.runOnce({ actor: 'learner' });
    expect(next.map((decision) => decision.kind)).not.toContain('rolled_back');
  }, 120_000);
});

describe.each(databaseKinds)('online learner without enough feedback [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    await registerRanker(t.app.engine.models, 'only-live', tinyRankerModel(0.1), 'live');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records one skip, not one per cycle, and trains nothing', async () => {
    const headers = bearer(await t.token('admin'));
    const first = await t.app.inject({ method: 'POST', url: `${LEARNER}/run`, headers });
    const [skipped] = first.json<{ decisions: LearnerDecision[] }>().decisions;
    expect(skipped).toMatchObject({ kind: 'skipped', liveModelId: 'only-live', figures: { viewers: 0, rows: 0 } });
    expect(skipped!.reason).toContain('too little feedback to train');
    expect(await t.app.engine.learner.runOnce({ actor: 'learner' })).toEqual([]);
    const timeline = await t.app.inject({ method: 'GET', url: LEARNER, headers });
    expect(timeline.json<LearnerStatus>().decisions).toHaveLength(1);
    expect(timeline.json<LearnerStatus>().shadowEvaluation).toBeNull();
    expect((await t.app.engine.models.list()).map((model) => model.id)).toEqual(['only-live']);
  });
});

describe.each(databaseKinds)('online learner schedule [%s]', (kind) => {
  const EVERY_MINUTE = '* * * * *';
  let scheduled: TestApp;
  let unscheduled: TestApp;
  beforeAll(async () => {
    const jobs = { enabled: true, dwellRefreshCron: '0 0 1 1 *' };
    const defaults = testConfig();
    rmSync(defaults.dataDir, { recursive: true, force: true });
    scheduled = await startTestApp(kind, {
      config: { jobs, learning: { ...defaults.learning, cron: EVERY_MINUTE } },
      fastJobs: true,
    });
    unscheduled = await startTestApp(kind, {
      config: { jobs, learning: { ...defaults.learning, enabled: false } },
      fastJobs: true,
    });
  });
  afterAll(async () => {
    await scheduled?.close();
    await unscheduled?.close();
  });

  async function schedules(t: TestApp): Promise<Array<{ name: string; cron: string }>> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/admin/jobs',
      headers: bearer(await t.token('admin')),
    });
    return response.json().schedules;
  }

  it('runs a cycle on SDE_LEARNER_CRON as the learner, and installs no schedule when disabled', async () => {
    expect(await schedules(scheduled)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: Queues.learnerRun, cron: EVERY_MINUTE })]),
    );
    expect((await schedules(unscheduled)).map((schedule) => schedule.name)).not.toContain(Queues.learnerRun);
    // No live model yet: the scheduled cycle records why it cannot train, once.
    const decision = await waitFor(
      async () => (await scheduled.app.engine.repositories.learner.latestDecision()) ?? undefined,
      90_000,
      'the scheduled learner cycle',
    );
    expect(decision).toMatchObject({ kind: 'skipped', actor: 'learner', liveModelId: null });
  }, 120_000);
});
