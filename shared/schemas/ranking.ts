// The Rank API and ranker training as the API and the console see them.
import { Type, type Static } from '@sinclair/typebox';

export const RANK_LIMITS = { maxCandidates: 1000, maxMemberIdLength: 128 } as const;

const MemberId = Type.String({ minLength: 1, maxLength: RANK_LIMITS.maxMemberIdLength });

export const RankBody = Type.Object(
  {
    viewerId: Type.String({
      minLength: 1,
      maxLength: RANK_LIMITS.maxMemberIdLength,
      description: 'whose slate this is; members may rank only for themselves, staff for anyone',
    }),
    candidateIds: Type.Array(MemberId, {
      minItems: 1,
      maxItems: RANK_LIMITS.maxCandidates,
      uniqueItems: true,
      description: 'members to order; an id that names no member is reported as a 422, never dropped',
    }),
  },
  { additionalProperties: false },
);
export type RankBody = Static<typeof RankBody>;

export const RankedCandidate = Type.Object(
  {
    userId: Type.String(),
    score: Type.Optional(
      Type.Number({
        description:
          "staff only: the live model's raw score (LambdaMART margin; only the order means something). Members get the order alone",
      }),
    ),
  },
  { additionalProperties: false },
);
export const RankedList = Type.Array(RankedCandidate, { $id: 'RankedList' });
export type RankedList = Static<typeof RankedList>;

export const TrainRankerBody = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'window start (default: 90 days ago)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'window end, exclusive (default: now)' })),
    numIterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
    learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    numLeaves: Type.Optional(Type.Integer({ minimum: 2, maximum: 1024 })),
    minDataInLeaf: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TrainRankerBody = Static<typeof TrainRankerBody>;

export const TrainRankerAccepted = Type.Object(
  { jobId: Type.String(), queue: Type.String() },
  { additionalProperties: false },
);

export const TrainingDataQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const TrainingDataExport = Type.Object(
  {
    window: Type.Object({ from: Type.String(), to: Type.String() }),
    featureNames: Type.Array(Type.String()),
    rows: Type.Integer(),
    groups: Type.Integer(),
    labels: Type.Object({ pass: Type.Integer(), like: Type.Integer(), strong: Type.Integer() }),
    libsvm: Type.String({ description: 'LibSVM lines: label then index:value pairs (zeros omitted)' }),
    query: Type.String({ description: 'query file: one group size (a viewer’s rows) per line' }),
    viewers: Type.Array(Type.String(), { description: 'the viewer of each query group, in order' }),
    impressionsWithoutFeatures: Type.Integer({
      description: 'labelled impressions left out: they logged no features of the current spec (older, past retention)',
    }),
  },
  { additionalProperties: false },
);
export type TrainingDataExport = Static<typeof TrainingDataExport>;
