// The online learner as the admin API and the console see it: its state (paused or running), the shadow
// model's online evaluation against the live model, and the timeline of its decisions (trained,
// shadowed, promoted, refused, rolled back, paused, resumed), each with the figures it was made on.
import { Type, type Static } from '@sinclair/typebox';

export const LEARNER_DECISION_KINDS = [
  'trained',
  'shadowed',
  'promoted',
  'refused',
  'rolled_back',
  'paused',
  'resumed',
  'skipped',
] as const;
export type LearnerDecisionKind = (typeof LEARNER_DECISION_KINDS)[number];

export const LEARNER_LIMITS = {
  maxNoteLength: 2000,
  /** Decisions per page of the timeline. */
  maxDecisionsPage: 200,
  defaultDecisionsPage: 50,
} as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Figures = Type.Record(Type.String(), Type.Unknown(), {
  description: 'the figures the decision was made on (metrics, sample sizes, bounds, thresholds)',
});

export const LearnerDecision = Type.Object({
  id: Type.Integer(),
  kind: Type.Union(LEARNER_DECISION_KINDS.map((kind) => Type.Literal(kind))),
  /** The model the decision is about (the candidate trained, promoted, refused, rolled back from). */
  modelId: Nullable(Type.String()),
  /** The live model when the decision was made. */
  liveModelId: Nullable(Type.String()),
  reason: Type.String(),
  figures: Figures,
  actor: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type LearnerDecision = Static<typeof LearnerDecision>;

/** One model's estimated outcome rates on the shadow slates, with a confidence interval on the like rate. */
export const ModelOutcomeEstimate = Type.Object({
  modelId: Type.String(),
  /** Impressions (slate positions) the estimate rests on. */
  impressions: Type.Integer(),
  likeRate: Type.Number(),
  likeRateLower: Type.Number(),
  likeRateUpper: Type.Number(),
  matchRate: Type.Number(),
});
export type ModelOutcomeEstimate = Static<typeof ModelOutcomeEstimate>;

/** Guardrail figures of what a model would have served (post-rank stages applied to its order). */
export const GuardrailFigures = Type.Object({
  slates: Type.Integer(),
  parityShortfallRate: Type.Number({ description: 'share of slates whose parity band fell short' }),
  safetyRemovalsPerSlate: Type.Number(),
  rankMsP95: Type.Number({ description: "95th percentile of the model's scoring time per slate, ms" }),
});
export type GuardrailFigures = Static<typeof GuardrailFigures>;

/** The shadow model against the live model on the same slates (the shadow arm's logged rankings). */
export const OnlineEstimate = Type.Object({
  liveModelId: Type.String(),
  shadowModelId: Type.String(),
  since: Type.String({ format: 'date-time' }),
  slates: Type.Integer(),
  impressions: Type.Integer(),
  /** Outcomes of impressions in slates where both models put the same members at the top. */
  topAgreement: Type.Object({
    k: Type.Integer(),
    slates: Type.Integer(),
    impressions: Type.Integer(),
    likeRate: Type.Number(),
    matchRate: Type.Number(),
  }),
  /** The counterfactual estimate of what each model's order would have earned (method in docs/learning.md). */
  counterfactual: Type.Object({
    method: Type.String(),
    live: ModelOutcomeEstimate,
    shadow: ModelOutcomeEstimate,
    /** Relative like-rate change shadow vs live, with its confidence interval. */
    lift: Type.Number(),
    liftLower: Type.Number(),
    liftUpper: Type.Number(),
  }),
  guardrails: Type.Object({ live: GuardrailFigures, shadow: GuardrailFigures }),
});
export type OnlineEstimate = Static<typeof OnlineEstimate>;

export const LearnerState = Type.Object({
  paused: Type.Boolean(),
  changedBy: Nullable(Type.String()),
  changedAt: Nullable(Type.String({ format: 'date-time' })),
  /** The schedule (cron, UTC) and the gate's thresholds as configured. */
  schedule: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
});
export type LearnerState = Static<typeof LearnerState>;

export const LearnerStatus = Type.Object({
  state: LearnerState,
  /** The current shadow model's evaluation, or null when no model is in shadow. */
  shadowEvaluation: Type.Union([OnlineEstimate, Type.Null()]),
  decisions: Type.Array(LearnerDecision),
});
export type LearnerStatus = Static<typeof LearnerStatus>;

export const LearnerStatusQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LEARNER_LIMITS.maxDecisionsPage })),
    /** Decisions with an id below this one (the next page of the timeline). */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type LearnerStatusQuery = Static<typeof LearnerStatusQuery>;

export const PatchLearnerBody = Type.Object(
  { paused: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: LEARNER_LIMITS.maxNoteLength })) },
  { additionalProperties: false },
);
export type PatchLearnerBody = Static<typeof PatchLearnerBody>;

export const LearnerRunResult = Type.Object({ decisions: Type.Array(LearnerDecision) });
export type LearnerRunResult = Static<typeof LearnerRunResult>;
