// The review queue: reviewers flag a candidate on a member's slate (or the whole slate) with a note,
// members' reports about a member open (or join) an item too, and reviewers resolve items with an
// outcome. Shared with the console's Review queue page.
import { Type, type Static } from '@sinclair/typebox';

export const REVIEW_OUTCOMES = ['no_action', 'candidate_removed', 'member_warned', 'escalated'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

const MemberId = Type.String({ minLength: 1, maxLength: 128 });
const Note = Type.String({ minLength: 1, maxLength: 2000 });
const Outcome = Type.Union(
  REVIEW_OUTCOMES.map((outcome) => Type.Literal(outcome)),
  { description: 'what the reviewer did about the flag' },
);

export const CreateReviewFlagInput = Type.Object(
  {
    viewerId: MemberId,
    candidateId: Type.Optional(MemberId),
    slateId: Type.Optional(Type.String({ format: 'uuid', description: 'a slate served to the viewer' })),
    note: Note,
  },
  { additionalProperties: false },
);
export type CreateReviewFlagInput = Static<typeof CreateReviewFlagInput>;

export const ResolveReviewFlagInput = Type.Object(
  { outcome: Outcome, note: Type.Optional(Note) },
  { additionalProperties: false },
);
export type ResolveReviewFlagInput = Static<typeof ResolveReviewFlagInput>;

export const ReopenReviewFlagInput = Type.Object({ note: Note }, { additionalProperties: false });
export type ReopenReviewFlagInput = Static<typeof ReopenReviewFlagInput>;

/** Where a flag came from: a reviewer's slate review, or members' `report` feedback about a member. */
export const REVIEW_FLAG_SOURCES = ['reviewer', 'member_report'] as const;
export type ReviewFlagSource = (typeof REVIEW_FLAG_SOURCES)[number];
const Source = Type.Union(
  REVIEW_FLAG_SOURCES.map((source) => Type.Literal(source)),
  { description: 'reviewer: filed from slate review; member_report: opened by members reporting the member' },
);

export const ReviewFlagParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 9007199254740991 }) });

export const ReviewFlagListQuery = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')], { default: 'open' }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
  source: Type.Optional(Source),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ReviewFlag = Type.Object(
  {
    id: Type.Integer(),
    viewerId: Type.String(),
    viewerName: NullableString,
    candidateId: NullableString,
    candidateName: NullableString,
    slateId: NullableString,
    note: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
    outcome: Type.Union([Outcome, Type.Null()]),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    resolvedBy: NullableString,
    resolvedAt: NullableString,
    resolutionNote: NullableString,
    source: Source,
    reportCount: Type.Integer({
      minimum: 0,
      description: 'member reports joined to this item (0 for a reviewer flag)',
    }),
    reporterIds: Type.Array(Type.String(), {
      description: 'members who reported (first reporter first); only reviewers and admins ever see this',
    }),
  },
  { $id: 'ReviewFlag' },
);
export type ReviewFlag = Static<typeof ReviewFlag>;

export const ReviewFlagEvent = Type.Object({
  action: Type.Union([
    Type.Literal('opened'),
    Type.Literal('resolved'),
    Type.Literal('reopened'),
    Type.Literal('reported'),
  ]),
  actor: Type.String(),
  outcome: Type.Union([Outcome, Type.Null()]),
  note: NullableString,
  at: Type.String({ format: 'date-time' }),
});
export type ReviewFlagEvent = Static<typeof ReviewFlagEvent>;

export const ReviewFlagWithHistory = Type.Intersect([
  ReviewFlag,
  Type.Object({ history: Type.Array(ReviewFlagEvent) }),
]);
export type ReviewFlagWithHistory = Static<typeof ReviewFlagWithHistory>;

export const ReviewFlagPage = Type.Object({
  flags: Type.Array(ReviewFlag),
  total: Type.Integer({ description: 'flags with this status' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type ReviewFlagPage = Static<typeof ReviewFlagPage>;
