// The slate as the API and the console see it: the served candidates, the experiment arm and model
// that produced it, a per-candidate trace through every stage, parity's verdict and stage timings.
import { Type, type Static } from '@sinclair/typebox';
import { PRIVACY_GROUPS } from './privacy.js';
import { CandidateSourceSchema, RetrievalTrace } from './candidates.js';

export const SLATE_LIMITS = { minLimit: 1, maxLimit: 100, defaultLimit: 20, candidates: 200 } as const;

export const SlateQuery = Type.Object(
  {
    limit: Type.Integer({
      minimum: SLATE_LIMITS.minLimit,
      maximum: SLATE_LIMITS.maxLimit,
      default: SLATE_LIMITS.defaultLimit,
      description: 'slate size',
    }),
    viewerId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'staff only (trust-and-safety review): the slate this member would get',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SlateQuery = Static<typeof SlateQuery>;

const Stage = Type.Union([Type.Literal('safety'), Type.Literal('diversity'), Type.Literal('parity')]);
const Gender = Type.Union([Type.Literal('woman'), Type.Literal('man'), Type.Literal('nonbinary')]);
const Shares = Type.Record(Type.String(), Type.Number());

export const SlateEntry = Type.Object(
  {
    userId: Type.String(),
    position: Type.Integer({ minimum: 1 }),
    score: Type.Optional(
      Type.Number({
        description:
          'staff only: the score that ordered it (ranker score, or retrieval score when the re-ranker is bypassed)',
      }),
    ),
    sources: Type.Array(CandidateSourceSchema),
  },
  { additionalProperties: false },
);

const Rank = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);

/** A group masked (zeroed) in this pair's features, and whose choice it was. */
export const MaskedGroup = Type.Object(
  {
    group: Type.Union(PRIVACY_GROUPS.map((group) => Type.Literal(group))),
    by: Type.Union([Type.Literal('viewer'), Type.Literal('candidate'), Type.Literal('both')]),
  },
  { additionalProperties: false },
);
export type MaskedGroup = Static<typeof MaskedGroup>;

export const CandidateTrace = Type.Object(
  {
    userId: Type.String(),
    sources: Type.Array(CandidateSourceSchema),
    retrievalScore: Type.Number(),
    rankerScore: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], {
        description: 'staff only (a member could solve it for distance or age gap); null when bypassed',
      }),
    ),
    ranks: Type.Object(
      { retrieval: Rank, ranker: Rank, safety: Rank, diversity: Rank, final: Rank },
      { description: '1-based position after each stage; null once the candidate is out' },
    ),
    removed: Type.Union([Type.Object({ stage: Stage, reason: Type.String() }), Type.Null()]),
    /** Kept by safety without a harassment score (policy keep). */
    unscored: Type.Boolean(),
    maskedGroups: Type.Optional(
      Type.Array(MaskedGroup, {
        description:
          "staff only (it reveals another member's privacy choices): the feature groups masked for this pair and whose opt-out masked them",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CandidateTrace = Static<typeof CandidateTrace>;

export const SlateResponse = Type.Object(
  {
    slateId: Type.String({ format: 'uuid' }),
    viewerId: Type.String(),
    arm: Type.Union([
      Type.Literal('control'),
      Type.Literal('treatment'),
      Type.Literal('shadow'),
      Type.Literal('holdout'),
    ]),
    experimentKey: Type.Union([Type.String(), Type.Null()]),
    model: Type.Union([Type.String(), Type.Null()], {
      description: 'the ranking model that ordered the slate; null when bypassed',
    }),
    shadowModel: Type.Union([Type.String(), Type.Null()]),
    retrieval: RetrievalTrace,
    slate: Type.Array(SlateEntry),
    trace: Type.Array(CandidateTrace, {
      description: 'staff: every candidate retrieved; members: only the served ones (no removals)',
    }),
    parity: Type.Object({
      targetShares: Shares,
      shares: Shares,
      shortfall: Type.Array(
        Type.Object({ gender: Gender, target: Type.Number(), actual: Type.Number(), missing: Type.Integer() }),
      ),
    }),
    notes: Type.Array(Type.String(), {
      description: 'anything that changed how the slate was built (e.g. no live model)',
    }),
    timings: Type.Object({
      retrieveMs: Type.Number(),
      featuresMs: Type.Number(),
      rankMs: Type.Number(),
      safetyMs: Type.Number(),
      diversityMs: Type.Number(),
      parityMs: Type.Number(),
      logMs: Type.Number(),
      totalMs: Type.Number(),
    }),
  },
  { additionalProperties: false },
);
export type SlateResponse = Static<typeof SlateResponse>;
