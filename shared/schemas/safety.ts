// Safety scores as the admin API and the console see them: one harassment score per member, written
// in batches by moderation systems and corrected one by one by trust-and-safety reviewers.
import { Type, type Static } from '@sinclair/typebox';
import type { Role } from './roles.js';

/**
 * Who may read and write safety scores: moderation systems call with an admin token; trust-and-safety
 * reviewers correct scores by hand. ML engineers and members may not (scores are moderation data).
 */
export const SAFETY_SCORE_EDITORS: readonly Role[] = ['reviewer', 'admin'];

export const SAFETY_LIMITS = { maxBatch: 1000, maxMemberIdLength: 128, maxSourceLength: 80 } as const;

/** The source recorded when a write names none (a reviewer's hand correction). */
export const DEFAULT_SAFETY_SOURCE = 'manual';

const MemberId = Type.String({ minLength: 1, maxLength: SAFETY_LIMITS.maxMemberIdLength });

export const SafetyScoreInput = Type.Object(
  {
    memberId: MemberId,
    harassmentScore: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'probability-like harassment score; candidates above the threshold (0.8) leave slates',
    }),
    source: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: SAFETY_LIMITS.maxSourceLength,
        description: `which system or process produced the score (default "${DEFAULT_SAFETY_SOURCE}")`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type SafetyScoreInput = Static<typeof SafetyScoreInput>;

export const SafetyScoresBody = Type.Object(
  {
    scores: Type.Array(SafetyScoreInput, {
      minItems: 1,
      maxItems: SAFETY_LIMITS.maxBatch,
      description: 'written in one transaction: either all are stored or none',
    }),
  },
  { additionalProperties: false },
);
export type SafetyScoresBody = Static<typeof SafetyScoresBody>;

export const SafetyScore = Type.Object(
  {
    memberId: Type.String(),
    harassmentScore: Type.Number(),
    source: Type.String(),
    updatedBy: Type.String({ description: 'the caller (JWT subject) who wrote the score' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type SafetyScore = Static<typeof SafetyScore>;

export const SafetyScoresWritten = Type.Object(
  { scores: Type.Array(SafetyScore, { description: 'the stored scores, in request order' }) },
  { additionalProperties: false },
);
export type SafetyScoresWritten = Static<typeof SafetyScoresWritten>;

export const SafetyScoreParams = Type.Object({ memberId: MemberId }, { additionalProperties: false });
export type SafetyScoreParams = Static<typeof SafetyScoreParams>;

export const SafetyScoreDeleted = Type.Object(
  {
    memberId: Type.String(),
    deleted: Type.Boolean({ description: 'false when the member had no score (deleting is idempotent)' }),
  },
  { additionalProperties: false },
);
export type SafetyScoreDeleted = Static<typeof SafetyScoreDeleted>;
