// Why a member was suggested: GET /api/v2/discovery/why/:targetId as the API and the console see it.
import { Type, type Static } from '@sinclair/typebox';

export const EXPLANATION_LIMITS = { maxMemberIdLength: 128 } as const;

const MemberId = Type.String({ minLength: 1, maxLength: EXPLANATION_LIMITS.maxMemberIdLength });

export const WhyParams = Type.Object(
  { targetId: Type.String({ ...MemberId, description: 'the suggested member to explain' }) },
  { additionalProperties: false },
);
export type WhyParams = Static<typeof WhyParams>;

export const WhyQuery = Type.Object(
  {
    viewerId: Type.Optional(
      Type.String({
        ...MemberId,
        description: "staff only: explain another member's suggestion (members may pass only their own id)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type WhyQuery = Static<typeof WhyQuery>;

export const ExplainedFeature = Type.Object(
  {
    name: Type.String({ description: 'pair feature (docs/ranking.md)' }),
    group: Type.String({ description: 'its feature group' }),
    value: Type.Number({ description: "the pair's value, privacy masks applied" }),
    contribution: Type.Number({ description: 'exact TreeSHAP contribution to the score (positive)' }),
    reason_en: Type.String(),
    reason_es: Type.String(),
  },
  { additionalProperties: false },
);
export type ExplainedFeature = Static<typeof ExplainedFeature>;

export const ExplanationChip = Type.Object(
  { en: Type.String(), es: Type.String() },
  { additionalProperties: false, description: 'a trait both members share and share openly' },
);

export const Explanation = Type.Object(
  {
    targetId: Type.String(),
    viewerId: Type.String(),
    model: Type.String({ description: 'the model version that ranked (or would rank) the pair' }),
    reason_en: Type.String({ description: 'the top reasons joined with " · ", or a generic one' }),
    reason_es: Type.String(),
    features: Type.Array(ExplainedFeature, { description: 'the top positively contributing features, best first' }),
    chips: Type.Array(ExplanationChip),
    expectedValue: Type.Number({ description: "the model's mean score; contributions sum to score − expectedValue" }),
    score: Type.Number({ description: "the model's raw score for the pair" }),
  },
  { $id: 'Explanation', additionalProperties: false },
);
export type Explanation = Static<typeof Explanation>;
