// The shadow model against the live model on live traffic: the shadow arm's logged slates since a time
// (shadow-evaluation.repository.ts) → top agreement, the counterfactual like and match rates with
// intervals (counterfactual-estimate.ts) and each model's guardrail figures. The online learner's
// promotion gate reads it through `ShadowEvaluator`; docs/shadow-evaluation.md explains the figures.
import type { GuardrailFigures, OnlineEstimate } from '../../shared/schemas/learning.js';
import {
  DEFAULT_ESTIMATE_OPTIONS,
  estimateCounterfactual,
  topAgreement,
  type EstimateOptions,
  type ModelRates,
  type SlateOutcomes,
} from './counterfactual-estimate.js';
import type { LoggedGuardrails, ShadowEvaluationRepository, ShadowSlateRow } from './shadow-evaluation.repository.js';

/** What the learner needs of the evaluation. */
export interface ShadowEvaluator {
  /** null when the shadow model has no logged slates since `since`. */
  evaluate(shadowModelId: string, since: Date): Promise<OnlineEstimate | null>;
}

export interface ShadowEvaluationLimits {
  /** The newest slates read per evaluation: bounds the query and the bootstrap's work. */
  maxSlates: number;
  /** Top agreement compares the first k positions. */
  topK: number;
  estimate: EstimateOptions;
}

export const DEFAULT_SHADOW_EVALUATION_LIMITS: ShadowEvaluationLimits = {
  maxSlates: 5000,
  topK: 3,
  estimate: DEFAULT_ESTIMATE_OPTIONS,
};

export class ShadowEvaluationService implements ShadowEvaluator {
  constructor(
    private readonly repository: ShadowEvaluationRepository,
    private readonly limits: ShadowEvaluationLimits = DEFAULT_SHADOW_EVALUATION_LIMITS,
  ) {}

  async evaluate(shadowModelId: string, since: Date): Promise<OnlineEstimate | null> {
    const rows = await this.repository.shadowSlates(shadowModelId, since, this.limits.maxSlates);
    if (rows.length === 0) return null;
    const liveModelId = rows[0]!.servedModel;
    const counterfactual = estimateCounterfactual(rows.map(shownInShadowOrder), this.limits.estimate);
    return {
      liveModelId,
      shadowModelId,
      since: since.toISOString(),
      slates: rows.length,
      impressions: counterfactual.live.impressions,
      topAgreement: topAgreement(rows, this.limits.topK),
      counterfactual: {
        method: counterfactual.method,
        live: outcomeEstimate(liveModelId, counterfactual.live),
        shadow: outcomeEstimate(shadowModelId, counterfactual.shadow),
        lift: counterfactual.lift.value,
        liftLower: counterfactual.lift.lower,
        liftUpper: counterfactual.lift.upper,
      },
      guardrails: {
        live: guardrailFigures(rows.map((row) => row.live)),
        shadow: guardrailFigures(rows.map((row) => row.shadow)),
      },
    };
  }
}

/**
 * The members the live slate showed, in the order the shadow model ranks them: the slate the estimate
 * credits the shadow with. Only shown members have observed outcomes; crediting the shadow's own slate
 * instead counts every member it would have shown but live did not as not liked, which biased every
 * candidate down by the share of its slate it changed (on 20-member slates from a 200-member pool, nearly
 * all of it) so that no candidate could ever pass the gate. docs/shadow-evaluation.md.
 */
export function shownInShadowOrder(row: Pick<ShadowSlateRow, 'served' | 'shadowOrder'>): SlateOutcomes {
  const shown = new Set(row.served.map((impression) => impression.candidateId));
  const ranked = row.shadowOrder.filter((candidateId) => shown.has(candidateId));
  // A shown member the shadow did not rank (not expected: both rank the same candidates) goes last.
  const unranked = row.served.map((impression) => impression.candidateId).filter((id) => !ranked.includes(id));
  return { served: row.served, shadowSlate: [...ranked, ...unranked] };
}

function outcomeEstimate(modelId: string, rates: ModelRates): OnlineEstimate['counterfactual']['live'] {
  return {
    modelId,
    impressions: rates.impressions,
    likeRate: rates.like.value,
    likeRateLower: rates.like.lower,
    likeRateUpper: rates.like.upper,
    matchRate: rates.matchRate,
  };
}

/** One model's guardrails over the slates: share short of parity, removals per slate, p95 scoring time. */
export function guardrailFigures(slates: readonly LoggedGuardrails[]): GuardrailFigures {
  const count = slates.length;
  if (count === 0) return { slates: 0, parityShortfallRate: 0, safetyRemovalsPerSlate: 0, rankMsP95: 0 };
  const rankMs = slates.map((slate) => slate.rankMs).sort((a, b) => a - b);
  return {
    slates: count,
    parityShortfallRate: slates.filter((slate) => slate.parityShortfall > 0).length / count,
    safetyRemovalsPerSlate: slates.reduce((sum, slate) => sum + slate.safetyRemovals, 0) / count,
    // Nearest rank: the smallest time at least 95% of the slates stayed within.
    rankMsP95: rankMs[Math.ceil(0.95 * count) - 1]!,
  };
}
