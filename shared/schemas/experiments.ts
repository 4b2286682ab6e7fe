// Flags and experiments as the admin API and the console see them: GrowthBook feature definitions
// (`{ defaultValue, rules }`, the shape GrowthBook's SDK reads) and exposure counts per arm.
import { Type, type Static } from '@sinclair/typebox';

export const FlagKeyParams = Type.Object(
  { key: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,99}$', description: 'flag key, e.g. discovery_reranker_v2' }) },
  { additionalProperties: false },
);
export type FlagKeyParams = Static<typeof FlagKeyParams>;

/** One targeting rule: `force` a value, or run an experiment over `variations` with `weights`. */
export const FeatureRule = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 100 })),
    condition: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    force: Type.Optional(Type.Unknown()),
    key: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'experiment key (exposures are logged under it)' }),
    ),
    variations: Type.Optional(Type.Array(Type.Unknown(), { minItems: 2, maxItems: 20 })),
    weights: Type.Optional(Type.Array(Type.Number({ minimum: 0, maximum: 1 }), { minItems: 2, maxItems: 20 })),
    coverage: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    hashAttribute: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    seed: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const FeatureDefinitionBody = Type.Object(
  {
    defaultValue: Type.Unknown({ description: 'the value when no rule applies' }),
    rules: Type.Optional(Type.Array(FeatureRule, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type FeatureDefinitionBody = Static<typeof FeatureDefinitionBody>;

export const FlagList = Type.Object(
  {
    source: Type.Union([Type.Literal('database'), Type.Literal('growthbook')]),
    features: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);

export const ExperimentParams = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const ExperimentExposures = Type.Object(
  {
    key: Type.String(),
    arms: Type.Array(
      Type.Object({ arm: Type.String(), viewers: Type.Integer(), firstAt: Type.String(), lastAt: Type.String() }),
    ),
  },
  { additionalProperties: false },
);
