// The model registry as the admin API and the console see it: model versions (ranker models with their
// training window, parameters, offline metrics and status), their status history, and the bodies for
// importing, promoting and rolling back.
import { Type, type Static } from '@sinclair/typebox';

export const MODEL_KINDS = ['ranker'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** candidate → shadow (scored alongside, not served) → live (served) → retired. */
export const MODEL_STATUSES = ['candidate', 'shadow', 'live', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export const MODEL_FORMATS = ['lightgbm', 'xgboost-json'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export const MODEL_LIMITS = {
  /** Matches the CHECK on model_versions.id (1..80 characters). */
  maxIdLength: 80,
  maxNoteLength: 2000,
  /** An artifact of 300 trees × 63 leaves is ~1.5 MB of LightGBM text; this leaves room for larger ones. */
  maxArtifactBytes: 16 * 1024 * 1024,
  /** How many features the detail view lists by importance. */
  importanceTop: 20,
} as const;

const ModelKindSchema = Type.Union(
  MODEL_KINDS.map((kind) => Type.Literal(kind)),
  { description: 'what the model is for; one live model per kind' },
);
const ModelStatusSchema = Type.Union(MODEL_STATUSES.map((status) => Type.Literal(status)));
const ModelFormatSchema = Type.Union(
  MODEL_FORMATS.map((format) => Type.Literal(format)),
  { description: 'lightgbm = LightGBM text model (model.txt); xgboost-json = XGBoost Booster.save_model JSON' },
);

const ModelId = Type.String({
  minLength: 1,
  maxLength: MODEL_LIMITS.maxIdLength,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'letters, digits, ".", "_" and "-"; generated (ranker-YYYYMMDD-HHMM-xxxxxx) when absent',
});
const Note = Type.String({ maxLength: MODEL_LIMITS.maxNoteLength });
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const TrainingWindow = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'the period whose feedback the model was trained on' },
);
export type TrainingWindow = Static<typeof TrainingWindow>;

export const ModelIdParams = Type.Object({ id: ModelId }, { additionalProperties: false });
export type ModelIdParams = Static<typeof ModelIdParams>;

export const ModelListQuery = Type.Object(
  { kind: Type.Optional(ModelKindSchema), status: Type.Optional(ModelStatusSchema) },
  { additionalProperties: false },
);
export type ModelListQuery = Static<typeof ModelListQuery>;

export const ModelImportBody = Type.Object(
  {
    id: Type.Optional(ModelId),
    format: ModelFormatSchema,
    artifact: Type.String({ minLength: 1, description: 'the model file as text' }),
    params: Type.Optional(JsonObject),
    metrics: Type.Optional(JsonObject),
    trainingWindow: Type.Optional(Type.Union([TrainingWindow, Type.Null()])),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type ModelImportBody = Static<typeof ModelImportBody>;

export const PromoteBody = Type.Object(
  {
    to: ModelStatusSchema,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type PromoteBody = Static<typeof PromoteBody>;

export const RollbackBody = Type.Object(
  {
    kind: Type.Optional(ModelKindSchema),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type RollbackBody = Static<typeof RollbackBody>;

/** A stored version without its artifact bytes. */
export const ModelVersion = Type.Object(
  {
    id: Type.String(),
    kind: ModelKindSchema,
    status: ModelStatusSchema,
    format: ModelFormatSchema,
    artifactBytes: Type.Integer({ minimum: 0 }),
    params: JsonObject,
    metrics: JsonObject,
    trainingWindow: Type.Union([TrainingWindow, Type.Null()]),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    statusChangedBy: Type.String(),
    statusChangedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type ModelVersion = Static<typeof ModelVersion>;

export const ModelList = Type.Object({ models: Type.Array(ModelVersion) }, { additionalProperties: false });
export type ModelList = Static<typeof ModelList>;

export const ModelStatusChange = Type.Object(
  {
    from: Type.Union([ModelStatusSchema, Type.Null()], { description: 'null for the registration itself' }),
    to: ModelStatusSchema,
    changedBy: Type.String(),
    changedAt: Type.String({ format: 'date-time' }),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ModelStatusChange = Static<typeof ModelStatusChange>;

export const ModelDetail = Type.Object(
  {
    ...ModelVersion.properties,
    featureSpec: Type.Unknown({ description: 'the feature spec the model was trained on, as recorded' }),
    features: Type.Array(Type.String(), { description: 'the model’s feature columns, in order' }),
    trees: Type.Integer({ minimum: 0 }),
    featureImportance: Type.Array(
      Type.Object({ feature: Type.String(), importance: Type.Number() }, { additionalProperties: false }),
      { description: 'total split gain per feature, highest first (top 20)' },
    ),
    history: Type.Array(ModelStatusChange, { description: 'oldest first' }),
  },
  { additionalProperties: false },
);
export type ModelDetail = Static<typeof ModelDetail>;

export const StatusTransition = Type.Object(
  { id: Type.String(), from: ModelStatusSchema, to: ModelStatusSchema },
  { additionalProperties: false },
);
export type StatusTransition = Static<typeof StatusTransition>;

export const PromoteResult = Type.Object(
  {
    model: ModelVersion,
    demoted: Type.Union([StatusTransition, Type.Null()], {
      description: 'the previous live (→ retired) or shadow (→ candidate) model of the kind, if one was displaced',
    }),
  },
  { additionalProperties: false },
);
export type PromoteResult = Static<typeof PromoteResult>;

export const RollbackResult = Type.Object(
  { live: ModelVersion, retired: ModelVersion },
  { additionalProperties: false },
);
export type RollbackResult = Static<typeof RollbackResult>;
