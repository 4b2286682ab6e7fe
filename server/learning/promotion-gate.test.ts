import { describe, expect, it } from 'vitest';
import type { GuardrailFigures, OnlineEstimate } from '../../shared/schemas/learning.js';
import { promotionGate, type GateSettings, type OfflineComparison } from './promotion-gate.js';

const SETTINGS: GateSettings = {
  offlineMargin: 0,
  onlineMargin: 0,
  minShadowImpressions: 500,
  maxShadowHours: 48,
  guardrailTolerance: 0.05,
};

const GUARDRAILS: GuardrailFigures = {
  slates: 100,
  parityShortfallRate: 0.1,
  safetyRemovalsPerSlate: 0.2,
  rankMsP95: 4,
};

function estimate(
  overrides: { impressions?: number; lift?: number; liftLower?: number; shadow?: Partial<GuardrailFigures> } = {},
): OnlineEstimate {
  const impressions = overrides.impressions ?? 1000;
  const outcome = (modelId: string, likeRate: number) => ({
    modelId,
    impressions,
    likeRate,
    likeRateLower: likeRate - 0.02,
    likeRateUpper: likeRate + 0.02,
    matchRate: likeRate / 4,
  });
  return {
    liveModelId: 'live',
    shadowModelId: 'shadow',
    since: '2026-12-01T00:00:00.000Z',
    slates: impressions / 10,
    impressions,
    topAgreement: { k: 3, slates: 10, impressions: 30, likeRate: 0.3, matchRate: 0.05 },
    counterfactual: {
      method: 'test',
      live: outcome('live', 0.3),
      shadow: outcome('shadow', 0.33),
      lift: overrides.lift ?? 0.1,
      liftLower: overrides.liftLower ?? 0.02,
      liftUpper: 0.18,
    },
    guardrails: { live: GUARDRAILS, shadow: { ...GUARDRAILS, ...overrides.shadow } },
  };
}

const BETTER: OfflineComparison = { candidateNdcg10: 0.62, liveNdcg10: 0.55, viewers: 40, rows: 400 };

describe('promotionGate', () => {
  it('promotes when every condition holds, listing the evidence and the thresholds', () => {
    const decision = promotionGate({ offline: BETTER, online: estimate(), shadowHours: 5, settings: SETTINGS });
    expect(decision.verdict).toBe('promote');
    expect(decision.reasons).toHaveLength(5);
    expect(decision.figures).toMatchObject({ offline: BETTER, thresholds: SETTINGS, shadowHours: 5 });
  });

  it('waits under the sample minimum, then refuses for lack of traffic after the maximum shadow time', () => {
    const few = estimate({ impressions: 499 });
    expect(promotionGate({ offline: BETTER, online: few, shadowHours: 47.9, settings: SETTINGS })).toMatchObject({
      verdict: 'wait',
    });
    const late = promotionGate({ offline: BETTER, online: few, shadowHours: 48, settings: SETTINGS });
    expect(late.verdict).toBe('refuse');
    expect(late.reasons[0]).toMatch(/^not enough traffic: 499 of 500/);
    expect(promotionGate({ offline: null, online: null, shadowHours: 1, settings: SETTINGS }).verdict).toBe('wait');
  });

  it('refuses a candidate worse offline, naming both NDCG figures', () => {
    const worse = { ...BETTER, candidateNdcg10: 0.5 };
    const decision = promotionGate({ offline: worse, online: estimate(), shadowHours: 5, settings: SETTINGS });
    expect(decision.verdict).toBe('refuse');
    expect(decision.reasons).toEqual(['offline NDCG@10 0.5 is not 0 above live 0.55']);
    // Exactly equal passes a margin of 0 (at least the margin), but not a margin of 0.01.
    const equal = { ...BETTER, candidateNdcg10: 0.55 };
    expect(promotionGate({ offline: equal, online: estimate(), shadowHours: 5, settings: SETTINGS }).verdict).toBe(
      'promote',
    );
    expect(
      promotionGate({
        offline: equal,
        online: estimate(),
        shadowHours: 5,
        settings: { ...SETTINGS, offlineMargin: 0.01 },
      }).verdict,
    ).toBe('refuse');
  });

  it('refuses when the lift lower bound is not above the online margin (0 is not enough)', () => {
    // Inconclusive (the estimate favours the candidate, the interval reaches 0): waits for more traffic
    // up to 4 × the minimum sample, then refuses.
    const judge = (impressions: number, shadowHours = 5) =>
      promotionGate({
        offline: BETTER,
        online: estimate({ impressions, liftLower: 0 }),
        shadowHours,
        settings: SETTINGS,
      });
    expect(judge(1999)).toMatchObject({
      verdict: 'wait',
      reasons: ['online estimate inconclusive after 1999 impressions: like-rate lift lower bound 0 is not above 0'],
    });
    expect(judge(1000, 48).verdict).toBe('refuse');
    const decision = judge(2000);
    expect(decision.verdict).toBe('refuse');
    expect(decision.reasons).toEqual(['like-rate lift lower bound 0 is not above 0']);
    // An estimate already below the margin is not waited for.
    const worse = promotionGate({
      offline: BETTER,
      online: estimate({ lift: -0.05, liftLower: -0.12 }),
      shadowHours: 5,
      settings: SETTINGS,
    });
    expect(worse.verdict).toBe('refuse');
  });

  it('refuses on each guardrail beyond its tolerance: parity and safety absolute, latency relative above a floor', () => {
    const judge = (shadow: Partial<GuardrailFigures>) =>
      promotionGate({ offline: BETTER, online: estimate({ shadow }), shadowHours: 5, settings: SETTINGS });
    expect(judge({ parityShortfallRate: 0.15 }).verdict).toBe('promote');
    expect(judge({ parityShortfallRate: 0.16 }).reasons).toEqual([
      'parity shortfall rate 0.16 vs live 0.1 (tolerance 0.05)',
    ]);
    expect(judge({ safetyRemovalsPerSlate: 0.26 }).reasons[0]).toMatch(/^safety removals per slate 0.26/);
    // Latency: 5 % of live's 4 ms plus the 1 ms floor, so sub-millisecond noise never refuses a model.
    expect(judge({ rankMsP95: 5.2 }).verdict).toBe('promote');
    expect(judge({ rankMsP95: 5.3 }).reasons[0]).toMatch(/^rank latency p95 5.3 ms vs live 4 ms/);
    // Fewer than 50 shadow slates: a p95 that is a cold start's maximum is not judged.
    expect(judge({ rankMsP95: 8, slates: 49 })).toMatchObject({ verdict: 'promote' });
    expect(judge({ rankMsP95: 8, slates: 49 }).reasons).toContain(
      'rank latency not judged: 49 shadow slates, fewer than 50',
    );
  });

  it('lists every failed condition at once, and refuses when there is no held-out data', () => {
    const decision = promotionGate({
      offline: null,
      online: estimate({ liftLower: -0.1, shadow: { rankMsP95: 10 } }),
      shadowHours: 5,
      settings: SETTINGS,
    });
    expect(decision.verdict).toBe('refuse');
    expect(decision.reasons).toHaveLength(3);
    expect(decision.reasons[0]).toBe('no held-out viewers to compare the models offline');
  });
});
