// The promotion gate: whether the shadow model replaces the live one. A pure function of what the learner
// measured — both models' offline NDCG@10 on the same held-out recent viewers, the shadow arm's online
// estimate, how long the model has been in shadow — and the configured thresholds. Each condition and
// its default are explained in docs/learning.md.
import type { OnlineEstimate } from '../../shared/schemas/learning.js';
import type { LearningConfig } from '../config/config.js';

export type GateSettings = LearningConfig['gate'];

/**
 * Scoring time differences below this never fail the latency guardrail. Scoring a slate takes well under
 * a millisecond, where a p95 over a few dozen slates is mostly timer and scheduling noise: a relative
 * tolerance alone refused good models on 0.23 vs 0.20 ms (found by npm run eval:learning).
 */
export const RANK_LATENCY_FLOOR_MS = 1;

/**
 * A p95 over fewer slates is a maximum, and the first slates a freshly loaded model scores include its
 * compilation and the engine's warm-up (measured at 5–8 ms against 0.2 ms warm): latency is judged only
 * from this many shadow slates on.
 */
export const MIN_LATENCY_SLATES = 50;

/** An inconclusive online estimate is waited on until this many times the minimum sample, then refused. */
export const MAX_SHADOW_SAMPLE_FACTOR = 4;

/** Both models scored on the same held-out viewers. */
export interface OfflineComparison {
  candidateNdcg10: number;
  liveNdcg10: number;
  viewers: number;
  rows: number;
}

export interface GateInput {
  offline: OfflineComparison | null;
  online: OnlineEstimate | null;
  shadowHours: number;
  settings: GateSettings;
}

export type GateVerdict = 'promote' | 'refuse' | 'wait';

export interface GateDecision {
  verdict: GateVerdict;
  /** Why: every failed condition when refused, what is missing when waiting, the evidence when promoted. */
  reasons: string[];
  figures: Record<string, unknown>;
}

export function promotionGate({ offline, online, shadowHours, settings }: GateInput): GateDecision {
  const impressions = online?.impressions ?? 0;
  const figures: Record<string, unknown> = {
    offline,
    online: online ? { impressions, slates: online.slates, counterfactual: online.counterfactual } : null,
    guardrails: online?.guardrails ?? null,
    shadowHours: round(shadowHours),
    thresholds: settings,
  };
  if (impressions < settings.minShadowImpressions) {
    const missing = `${impressions} of ${settings.minShadowImpressions} shadow impressions after ${round(shadowHours)} h`;
    return shadowHours >= settings.maxShadowHours
      ? { verdict: 'refuse', reasons: [`not enough traffic: ${missing} (limit ${settings.maxShadowHours} h)`], figures }
      : { verdict: 'wait', reasons: [`waiting for traffic: ${missing}`], figures };
  }
  const failed: string[] = [];
  const passed: string[] = [];
  const check = (ok: boolean, pass: string, fail: string) => (ok ? passed : failed).push(ok ? pass : fail);

  if (!offline) {
    failed.push('no held-out viewers to compare the models offline');
  } else {
    const gain = offline.candidateNdcg10 - offline.liveNdcg10;
    check(
      gain >= settings.offlineMargin,
      `offline NDCG@10 ${fmt(offline.candidateNdcg10)} vs live ${fmt(offline.liveNdcg10)} (margin ${settings.offlineMargin})`,
      `offline NDCG@10 ${fmt(offline.candidateNdcg10)} is not ${settings.offlineMargin} above live ${fmt(offline.liveNdcg10)}`,
    );
  }
  const { lift, liftLower } = online!.counterfactual;
  const onlineConfirmed = liftLower > settings.onlineMargin;
  // Inconclusive — the estimate favours the candidate but its interval still reaches the margin: more
  // shadow traffic narrows it, so wait (as long as the sample cap and the time limit allow) rather than
  // refuse a model that may well be better. A candidate whose estimate is already below the margin is
  // not waited for.
  const inconclusive = !onlineConfirmed && lift > settings.onlineMargin;
  const mayWaitLonger =
    impressions < settings.minShadowImpressions * MAX_SHADOW_SAMPLE_FACTOR && shadowHours < settings.maxShadowHours;
  check(
    onlineConfirmed,
    `like-rate lift lower bound ${fmt(liftLower)} > ${settings.onlineMargin}`,
    `like-rate lift lower bound ${fmt(liftLower)} is not above ${settings.onlineMargin}`,
  );
  const { live, shadow } = online!.guardrails;
  const tolerance = settings.guardrailTolerance;
  check(
    shadow.parityShortfallRate - live.parityShortfallRate <= tolerance,
    'parity shortfall within tolerance',
    `parity shortfall rate ${fmt(shadow.parityShortfallRate)} vs live ${fmt(live.parityShortfallRate)} (tolerance ${tolerance})`,
  );
  check(
    shadow.safetyRemovalsPerSlate - live.safetyRemovalsPerSlate <= tolerance,
    'safety removals within tolerance',
    `safety removals per slate ${fmt(shadow.safetyRemovalsPerSlate)} vs live ${fmt(live.safetyRemovalsPerSlate)} (tolerance ${tolerance})`,
  );
  if (shadow.slates >= MIN_LATENCY_SLATES) {
    check(
      shadow.rankMsP95 <= live.rankMsP95 * (1 + tolerance) + RANK_LATENCY_FLOOR_MS,
      'rank latency p95 within tolerance',
      `rank latency p95 ${fmt(shadow.rankMsP95)} ms vs live ${fmt(live.rankMsP95)} ms (tolerance ${tolerance * 100} % + ${RANK_LATENCY_FLOOR_MS} ms)`,
    );
  } else {
    passed.push(`rank latency not judged: ${shadow.slates} shadow slates, fewer than ${MIN_LATENCY_SLATES}`);
  }
  if (failed.length === 0) return { verdict: 'promote', reasons: passed, figures };
  const onlyOnlineFailed = failed.length === 1 && !onlineConfirmed;
  if (onlyOnlineFailed && inconclusive && mayWaitLonger) {
    return {
      verdict: 'wait',
      reasons: [`online estimate inconclusive after ${impressions} impressions: ${failed[0]}`],
      figures,
    };
  }
  return { verdict: 'refuse', reasons: failed, figures };
}

function fmt(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
