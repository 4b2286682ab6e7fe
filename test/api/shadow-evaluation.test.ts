// The shadow evaluation end to end on each database: two real LightGBM models through the registry API
// (a live one preferring nearby candidates, a shadow one preferring distant ones), viewers put in the
// shadow arm through the flags API, slates served and swiped on through the API, and the evaluation's
// figures checked against a hand computation on exactly that data (docs/shadow-evaluation.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { oneSplitLightGbmModel } from '../support/one-split-model.js';
import { seedSlatePopulation, type SlatePopulation } from '../support/slate-population.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const MODELS = '/api/v2/admin/models';
const SLATE_SIZE = 10;

/** Scores 1 on one side of 1.5 km and 0 on the other: `near` puts the closest candidates first. */
function distanceModel(prefer: 'near' | 'far'): string {
  return oneSplitLightGbmModel({
    featureNames: PAIR_FEATURE_NAMES,
    feature: PAIR_FEATURE_NAMES.indexOf('distance_km'),
    threshold: 1.5,
    leafValues: prefer === 'near' ? [1, 0] : [0, 1],
    leafCovers: [10, 10],
    gain: 1,
    cover: 20,
    shrinkage: 1,
  });
}

describe.each(databaseKinds)('shadow evaluation [%s]', (kind) => {
  let t: TestApp;
  let population: SlatePopulation;
  let engineer: Record<string, string>;
  let reviewer: Record<string, string>;
  const since = new Date(Date.now() - 60_000);

  async function call(method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) {
    const response = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<unknown>();
  }

  async function swipe(viewer: string, targetId: string, action: 'like' | 'pass', slateId?: string) {
    const member = bearer(await t.token('member', viewer));
    await call('POST', '/api/v2/discovery/feedback', member, { targetId, action, ...(slateId ? { slateId } : {}) });
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    population = await seedSlatePopulation(t.scratch.db);
    engineer = bearer(await t.token('ml_engineer', 'ml-1'));
    reviewer = bearer(await t.token('reviewer', 'reviewer-1'));
    await call('POST', MODELS, engineer, { id: 'eval-live', format: 'lightgbm', artifact: distanceModel('near') });
    const live = (await call('GET', `${MODELS}/eval-live`, engineer)) as { status: string };
    if (live.status !== 'live') await call('POST', `${MODELS}/eval-live/promote`, engineer, { to: 'live' });
    await call('POST', MODELS, engineer, { id: 'eval-shadow', format: 'lightgbm', artifact: distanceModel('far') });
    await call('POST', `${MODELS}/eval-shadow/promote`, engineer, { to: 'shadow' });
    await call('PUT', '/api/v2/admin/flags/discovery_reranker_v2', engineer, {
      defaultValue: 'control',
      rules: [{ key: 'reranker-v2', variations: ['control', 'treatment', 'shadow', 'holdout'], weights: [0, 0, 1, 0] }],
    });
    t.app.engine.flags.invalidate();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has nothing to say before the shadow model has scored a slate', async () => {
    expect(await t.app.engine.shadowEvaluation.evaluate('eval-shadow', since)).toBeNull();
  });

  it('estimates both models from served slates and swipes, as computed by hand', async () => {
    const viewers = [population.viewerId, population.otherViewerId];
    const slates: SlateResponse[] = [];
    for (const viewerId of viewers) {
      const body = (await call(
        'GET',
        `/api/v2/discovery/slate?limit=${SLATE_SIZE}&viewerId=${viewerId}`,
        reviewer,
      )) as SlateResponse;
      expect(body).toMatchObject({ arm: 'shadow', model: 'eval-live', shadowModel: 'eval-shadow' });
      slates.push(body);
    }
    const logged = await t.scratch.db.query<{
      slate_id: string;
      shadow_slate: string[];
      shadow_order: string[];
      served_parity_shortfall: number;
      served_safety_removals: number;
      shadow_safety_removals: number;
      served_rank_ms: number;
      shadow_rank_ms: number;
    }>('SELECT * FROM shadow_rankings WHERE slate_id = ANY ($1)', [slates.map((slate) => slate.slateId)]);
    expect(logged.rows).toHaveLength(2);
    const shadowSlateOf = (slateId: string) => logged.rows.find((row) => row.slate_id === slateId)!.shadow_slate;

    // The shadow order (distant first) would have served a different slate of the same size.
    for (const slate of slates) {
      const shadowSlate = shadowSlateOf(slate.slateId);
      expect(shadowSlate).toHaveLength(SLATE_SIZE);
      expect(shadowSlate).not.toEqual(slate.slate.map((entry) => entry.userId));
    }

    // The first viewer likes the members at served positions 1, 3 and 8 and passes on 2; the second
    // likes position 1, and that member likes her back (a match). Everything else goes unanswered.
    const [first, second] = slates as [SlateResponse, SlateResponse];
    const memberAt = (slate: SlateResponse, position: number) => slate.slate[position - 1]!.userId;
    for (const position of [1, 3, 8]) await swipe(first.viewerId, memberAt(first, position), 'like', first.slateId);
    await swipe(first.viewerId, memberAt(first, 2), 'pass', first.slateId);
    await swipe(second.viewerId, memberAt(second, 1), 'like', second.slateId);
    await swipe(memberAt(second, 1), second.viewerId, 'like');

    const estimate = (await t.app.engine.shadowEvaluation.evaluate('eval-shadow', since))!;

    // By hand: 4 likes and 1 match in 20 served impressions.
    expect(estimate).toMatchObject({ liveModelId: 'eval-live', shadowModelId: 'eval-shadow', slates: 2 });
    expect(estimate.impressions).toBe(2 * SLATE_SIZE);
    expect(estimate.counterfactual.live).toMatchObject({ modelId: 'eval-live', impressions: 20, likeRate: 4 / 20 });
    expect(estimate.counterfactual.live.matchRate).toBe(1 / 20);

    // The shadow is credited with the shown members in its own order: each liked one, seen at p and at q
    // (0-based) in that order, counts log2(p+2)/log2(q+2).
    const shownInShadowOrderOf = (slate: (typeof slates)[number]) => {
      const shown = new Set(slate.slate.map((entry) => entry.userId));
      return logged.rows.find((row) => row.slate_id === slate.slateId)!.shadow_order.filter((id) => shown.has(id));
    };
    const liked = new Map<string, { positions: number[]; matched: number[] }>([
      [first.slateId, { positions: [0, 2, 7], matched: [] }],
      [second.slateId, { positions: [0], matched: [0] }],
    ]);
    let shadowLikes = 0;
    let shadowMatches = 0;
    for (const slate of slates) {
      const outcome = liked.get(slate.slateId)!;
      const reordered = shownInShadowOrderOf(slate);
      expect(reordered).toHaveLength(SLATE_SIZE);
      reordered.forEach((id, q) => {
        const p = slate.slate.findIndex((entry) => entry.userId === id);
        if (p < 0 || !outcome.positions.includes(p)) return;
        const weight = Math.min(10, Math.log2(p + 2) / Math.log2(q + 2));
        shadowLikes += weight;
        if (outcome.matched.includes(p)) shadowMatches += weight;
      });
    }
    expect(shadowLikes).toBeGreaterThan(0);
    const shadow = estimate.counterfactual.shadow;
    expect(shadow.modelId).toBe('eval-shadow');
    expect(shadow.impressions).toBe(20);
    expect(shadow.likeRate).toBeCloseTo(shadowLikes / 20, 10);
    expect(shadow.matchRate).toBeCloseTo(shadowMatches / 20, 10);
    expect(estimate.counterfactual.lift).toBeCloseTo(shadowLikes / 20 / (4 / 20) - 1, 10);
    for (const model of [estimate.counterfactual.live, shadow]) {
      expect(model.likeRateLower).toBeLessThanOrEqual(model.likeRate);
      expect(model.likeRateUpper).toBeGreaterThanOrEqual(model.likeRate);
    }
    expect(estimate.counterfactual.liftLower).toBeLessThanOrEqual(estimate.counterfactual.lift);
    expect(estimate.counterfactual.liftUpper).toBeGreaterThanOrEqual(estimate.counterfactual.lift);

    // Top agreement: slates whose first three served members are the shadow slate's first three, in order.
    const agreeing = slates.filter((slate) =>
      slate.slate.slice(0, 3).every((entry, index) => shadowSlateOf(slate.slateId)[index] === entry.userId),
    );
    expect(estimate.topAgreement).toMatchObject({ k: 3, slates: agreeing.length, impressions: 3 * agreeing.length });

    // Guardrails: the harassing candidates the safety stage took out (the same for both orders, as safety
    // does not depend on the order), parity as the served slate's response reported it, scoring times.
    const removedBySafety = (slate: SlateResponse) =>
      slate.trace.filter((entry) => entry.removed?.stage === 'safety').length;
    const removals = slates.map(removedBySafety);
    expect(removals.every((count) => count > 0)).toBe(true);
    expect(estimate.guardrails.live).toMatchObject({
      slates: 2,
      safetyRemovalsPerSlate: (removals[0]! + removals[1]!) / 2,
      parityShortfallRate: slates.filter((slate) => slate.parity.shortfall.length > 0).length / 2,
    });
    expect(estimate.guardrails.shadow.safetyRemovalsPerSlate).toBe(estimate.guardrails.live.safetyRemovalsPerSlate);
    expect(estimate.guardrails.live.rankMsP95).toBe(Math.max(...logged.rows.map((row) => row.served_rank_ms)));
    expect(estimate.guardrails.shadow.rankMsP95).toBe(Math.max(...logged.rows.map((row) => row.shadow_rank_ms)));
  });

  it('leaves out slates of other arms and of other shadow models', async () => {
    await call('PUT', '/api/v2/admin/flags/discovery_reranker_v2', engineer, {
      defaultValue: 'control',
      rules: [{ key: 'reranker-v2', variations: ['control', 'treatment', 'shadow', 'holdout'], weights: [1, 0, 0, 0] }],
    });
    t.app.engine.flags.invalidate();
    await call('GET', `/api/v2/discovery/slate?limit=${SLATE_SIZE}&viewerId=${population.viewerId}`, reviewer);
    const estimate = (await t.app.engine.shadowEvaluation.evaluate('eval-shadow', since))!;
    expect(estimate.slates).toBe(2);
    expect(await t.app.engine.shadowEvaluation.evaluate('eval-live', since)).toBeNull();
    expect(await t.app.engine.shadowEvaluation.evaluate('eval-shadow', new Date(Date.now() + 60_000))).toBeNull();
  });
});
