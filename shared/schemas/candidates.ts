// Candidate retrieval as the API and the console see it: the query (`k`, optional `viewerId` for staff)
// and the merged, deduplicated candidate list with the retrieval sources each candidate came from.
import { Type, type Static } from '@sinclair/typebox';

export const CANDIDATE_LIMITS = {
  minK: 1,
  maxK: 500,
  defaultK: 50,
  maxMemberIdLength: 128,
} as const;

export const CANDIDATE_SOURCES = ['taste', 'community'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

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
  { description: 'taste = cosine ANN over taste vectors; community = shared communities or hobbies nearby' },
);

export const Candidate = Type.Object(
  {
    userId: Type.String(),
    score: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'combined retrieval score: 1 − (1 − taste)(1 − community) over the sources that found the member',
    }),
    sources: Type.Array(CandidateSourceSchema, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type Candidate = Static<typeof Candidate>;

export const CandidateList = Type.Array(Candidate, { $id: 'CandidateList' });
export type CandidateList = Static<typeof CandidateList>;
