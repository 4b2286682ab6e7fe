// The promotion gate: whether the shadow model replaces the live one. A pure function of what the learner
// measured — both models' offline NDCG@10 on the same held-out recent viewers, the shadow arm's online
// estimate, how long the model has been in shadow — and the configured thresholds. Each condition and
// its default are explained in docs/learning.md.
import type { OnlineEstimate } from '../../shared/schemas/learning.js';
import type { LearningConfig } from '../config/config.js';

export type GateSettings = LearningConfig['gate'];

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
  const { liftLower } = online!.counterfactual;
  check(
    liftLower > settings.onlineMargin,
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
  check(
    shadow.rankMsP95 <= live.rankMsP95 * (1 + tolerance),
    'rank latency p95 within tolerance',
    `rank latency p95 ${fmt(shadow.rankMsP95)} ms vs live ${fmt(live.rankMsP95)} ms (tolerance ${tolerance * 100} %)`,
  );
  return failed.length > 0
    ? { verdict: 'refuse', reasons: failed, figures }
    : { verdict: 'promote', reasons: passed, figures };
}

function fmt(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
