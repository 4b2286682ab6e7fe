// Why a member was suggested: GET /api/v2/discovery/why/:targetId as the API and the console see it.
// Two views: staff get exact values and SHAP numbers; members get reasons, bands and chips only.
import { Type, type Static, type TString } from '@sinclair/typebox';
import { LOCALES, type Locale } from '../locales.js';

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

/** One string property per locale of shared/locales.ts: adding a locale there adds it here. */
function textPerLocale(): Record<Locale, TString> {
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, Type.String({ description: `the text in locale "${locale}"` })]),
  ) as Record<Locale, TString>;
}

/**
 * A coarse, human band in place of an exact value members must not see (distance, age gap): a stable key
 * and the band in every locale the engine writes (`en: "under 5 km"`, `es: "menos de 5 km"`), so a new
 * language is one more key.
 */
export const FeatureBand = Type.Object(
  { key: Type.String({ description: 'stable band id, e.g. "under_5_km", "within_3_years"' }), ...textPerLocale() },
  { additionalProperties: false },
);
export type FeatureBand = Static<typeof FeatureBand>;

/**
 * Text keyed by locale (`{ en: "…", es: "…" }`): a reader picks their language by key, so a language the
 * engine adds later arrives as one more key, not as a new field. Keys are language tags.
 */
export const LocalizedText = Type.Record(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]+)*$' }), Type.String(), {
  description: 'the same text in every language the engine writes, keyed by language tag',
});
export type LocalizedText = Static<typeof LocalizedText>;

/** The features that get a band: the ones whose exact value would locate or date another member. */
export const BANDED_FEATURES = ['distance_km', 'age_gap_years'] as const;

export const ExplainedFeature = Type.Object(
  {
    name: Type.String({ description: 'pair feature (docs/ranking.md)' }),
    group: Type.String({ description: 'its feature group' }),
    value: Type.Number({ description: "the pair's value, privacy masks applied" }),
    contribution: Type.Number({ description: 'exact TreeSHAP contribution to the score (positive)' }),
    reason_en: Type.String(),
    reason_es: Type.String(),
    reasons: LocalizedText,
    band: Type.Optional(FeatureBand),
  },
  { additionalProperties: false },
);
export type ExplainedFeature = Static<typeof ExplainedFeature>;

export const MemberExplainedFeature = Type.Object(
  {
    name: Type.String({ description: 'pair feature (docs/ranking.md)' }),
    group: Type.String({ description: 'its feature group' }),
    reason_en: Type.String({ description: 'distance and age gap worded as their band, never exactly' }),
    reason_es: Type.String(),
    reasons: LocalizedText,
    band: Type.Optional(FeatureBand),
  },
  { additionalProperties: false, description: 'no value and no contribution: either could reveal the other member' },
);
export type MemberExplainedFeature = Static<typeof MemberExplainedFeature>;

export const ExplanationChip = Type.Object(textPerLocale(), {
  additionalProperties: false,
  description: 'a trait both members share and share openly, worded in every locale',
});

/** What both views of an explanation start with: whose pair, which model, and the reasons in words. */
const explanationHeader = {
  targetId: Type.String(),
  viewerId: Type.String(),
  model: Type.String({ description: 'the model version that ranked (or would rank) the pair' }),
  reason_en: Type.String({ description: 'the top reasons joined with " · ", or a generic one' }),
  reason_es: Type.String(),
  reasons: LocalizedText,
};

/** The staff view (reviewer, ml_engineer, admin): exact values, contributions and scores. */
export const Explanation = Type.Object(
  {
    view: Type.Literal('staff'),
    ...explanationHeader,
    features: Type.Array(ExplainedFeature, { description: 'the top positively contributing features, best first' }),
    chips: Type.Array(ExplanationChip),
    expectedValue: Type.Number({ description: "the model's mean score; contributions sum to score − expectedValue" }),
    score: Type.Number({ description: "the model's raw score for the pair" }),
  },
  { $id: 'Explanation', additionalProperties: false },
);
export type Explanation = Static<typeof Explanation>;

/**
 * The member view: reasons, bands and chips only. No feature value, contribution, score or expected
 * value: with the model known, any of them can be solved for the exact distance or age gap.
 */
export const MemberExplanation = Type.Object(
  {
    view: Type.Literal('member'),
    ...explanationHeader,
    features: Type.Array(MemberExplainedFeature, { description: 'the top reasons, best first' }),
    chips: Type.Array(ExplanationChip),
  },
  { $id: 'MemberExplanation', additionalProperties: false },
);
export type MemberExplanation = Static<typeof MemberExplanation>;

/** GET /api/v2/discovery/why's 200: the member view for members, the staff view for staff. */
export const WhyResponse = Type.Union([Explanation, MemberExplanation]);
export type WhyResponse = Static<typeof WhyResponse>;
