// Swipe feedback and matches as the API and the renderer see them: the feedback body, its optional
// Idempotency-Key header, the stored swipe (with whether it made a match) and the caller's matches.
import { Type, type Static } from '@sinclair/typebox';

export const FEEDBACK_ACTIONS = ['like', 'pass', 'superlike', 'block', 'report'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** Actions that can answer (or be answered by) another like: together they make a match. */
export const LIKE_ACTIONS: readonly FeedbackAction[] = ['like', 'superlike'];
/** Actions that separate the pair both ways, for good. */
export const BLOCKING_ACTIONS: readonly FeedbackAction[] = ['block', 'report'];

export const FEEDBACK_LIMITS = {
  maxMemberIdLength: 128,
  maxReasonLength: 500,
  maxIdempotencyKeyLength: 128,
} as const;

export const FeedbackInput = Type.Object(
  {
    targetId: Type.String({
      minLength: 1,
      maxLength: FEEDBACK_LIMITS.maxMemberIdLength,
      description: 'the member swiped on',
    }),
    // An enum rather than a union of literals, so a bad value reads "must be equal to one of the allowed values".
    action: Type.Unsafe<FeedbackAction>({
      type: 'string',
      enum: [...FEEDBACK_ACTIONS],
      description: 'like, pass, superlike, block or report',
    }),
    slateId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'the slate the target was shown in; must have shown this target to the caller',
      }),
    ),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: FEEDBACK_LIMITS.maxReasonLength,
        description: 'required for report, not accepted for other actions',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FeedbackInput = Static<typeof FeedbackInput>;

export const FeedbackHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: FEEDBACK_LIMITS.maxIdempotencyKeyLength,
      // Visible ASCII only: no spaces or control characters that proxies might alter.
      pattern: '^[!-~]+$',
      description: 'retrying with the same key and body returns the original swipe instead of a second one',
    }),
  ),
});
export type FeedbackHeaders = Static<typeof FeedbackHeaders>;

export const FeedbackResult = Type.Object(
  {
    id: Type.String({ description: 'the stored swipe' }),
    targetId: Type.String(),
    action: Type.Union(FEEDBACK_ACTIONS.map((action) => Type.Literal(action))),
    slateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    match: Type.Boolean({
      description: "true when this like or superlike answered the target's like or superlike of the caller",
    }),
    matchedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when the match happened (this swipe), or null',
    }),
  },
  { $id: 'FeedbackResult', additionalProperties: false },
);
export type FeedbackResult = Static<typeof FeedbackResult>;

export const Match = Type.Object(
  {
    userId: Type.String(),
    matchedAt: Type.String({ format: 'date-time', description: 'when the pair first matched' }),
  },
  { additionalProperties: false },
);
export type Match = Static<typeof Match>;

export const MatchList = Type.Array(Match, { $id: 'MatchList' });
export type MatchList = Static<typeof MatchList>;
