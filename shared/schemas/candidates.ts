// Candidate retrieval as the API and the console see it: the query (`k`, optional `viewerId` for staff)
// and the merged, deduplicated candidate list with the retrieval sources each candidate came from.
import { Type, type Static } from '@sinclair/typebox';

export const CANDIDATE_LIMITS = {
  minK: 1,
  maxK: 500,
  defaultK: 50,
  maxMemberIdLength: 128,
} as const;

export const CANDIDATE_SOURCES = ['taste', 'community', 'proximity', 'popularity'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/**
 * How a viewer's candidates were found. `taste`: the taste ANN plus the community source. `generic`:
 * no taste ANN — community, proximity and popularity — because the viewer turned favorites off (their
 * taste vector is deleted, so nothing may be matched on it) or has no taste vector yet.
 */
export const RETRIEVAL_MODES = ['taste', 'generic'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];
export const GENERIC_REASONS = ['favorites_opt_out', 'no_taste_vector'] as const;
export type GenericReason = (typeof GENERIC_REASONS)[number];

export const RetrievalTrace = Type.Object(
  {
    mode: Type.Union(RETRIEVAL_MODES.map((mode) => Type.Literal(mode))),
    reason: Type.Union([...GENERIC_REASONS.map((reason) => Type.Literal(reason)), Type.Null()], {
      description: 'why the generic mode was used; null in taste mode',
    }),
  },
  { additionalProperties: false },
);
export type RetrievalTrace = Static<typeof RetrievalTrace>;

export const CandidatesQuery = Type.Object(
  {
    k: Type.Integer({
      minimum: CANDIDATE_LIMITS.minK,
      maximum: CANDIDATE_LIMITS.maxK,
      default: CANDIDATE_LIMITS.defaultK,
      description: 'how many candidates to return at most',
    }),
    viewerId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: CANDIDATE_LIMITS.maxMemberIdLength,
        description: 'staff only (reviewer, ml_engineer, admin): retrieve for this member instead of the caller',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CandidatesQuery = Static<typeof CandidatesQuery>;

export const CandidateSourceSchema = Type.Union(
  CANDIDATE_SOURCES.map((source) => Type.Literal(source)),
  {
    description:
      'taste = cosine ANN over taste vectors; community = shared communities or hobbies nearby; ' +
      'proximity = nearest eligible members (generic mode; scored by coarse distance band, never distance); ' +
      'popularity = most liked in the last 30 days (generic mode)',
  },
);

export const Candidate = Type.Object(
  {
    userId: Type.String(),
    score: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'combined retrieval score: 1 − Π(1 − source score) over the sources that found the member',
    }),
    sources: Type.Array(CandidateSourceSchema, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type Candidate = Static<typeof Candidate>;

export const CandidateList = Type.Array(Candidate, { $id: 'CandidateList' });
export type CandidateList = Static<typeof CandidateList>;
