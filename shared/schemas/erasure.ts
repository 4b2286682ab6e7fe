// Erasure as the API sees it: a member's own DELETE /api/v2/users/me, an admin's erasure request, and
// the receipt both answer with (what was removed, counted; what was kept, and how).
import { Type, type Static } from '@sinclair/typebox';
import type { Role } from './roles.js';

/** Who may file an erasure request for another member: admins only (reviewers act on reports, not accounts). */
export const ERASURE_ADMINS: readonly Role[] = ['admin'];

export const ERASURE_LIMITS = { maxMemberIdLength: 128, maxReasonLength: 500 } as const;

export const ErasureRequestBody = Type.Object(
  {
    memberId: Type.String({
      minLength: 1,
      maxLength: ERASURE_LIMITS.maxMemberIdLength,
      description: 'the member to erase (their JWT subject)',
    }),
    reason: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: ERASURE_LIMITS.maxReasonLength,
        description: 'why (e.g. the ticket of the request); kept on the receipt log, with the member id removed',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ErasureRequestBody = Static<typeof ErasureRequestBody>;

export const RetainedRecord = Type.Object(
  {
    what: Type.String({ description: 'e.g. "review flags"' }),
    how: Type.String({ description: 'e.g. "anonymised": the member id replaced by a random pseudonym' }),
    count: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type RetainedRecord = Static<typeof RetainedRecord>;

export const ErasureReceipt = Type.Object(
  {
    receiptId: Type.String({ format: 'uuid', description: 'the row of the erasure log (which holds no member id)' }),
    memberId: Type.String(),
    erasedAt: Type.String({ format: 'date-time' }),
    removed: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: 'rows deleted per table (only tables that held something)',
    }),
    storage: Type.Object(
      { objects: Type.Integer({ minimum: 0, description: 'raw connector pages deleted from object storage' }) },
      { additionalProperties: false },
    ),
    retained: Type.Array(RetainedRecord),
  },
  { additionalProperties: false },
);
export type ErasureReceipt = Static<typeof ErasureReceipt>;
