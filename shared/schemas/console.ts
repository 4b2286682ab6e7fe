// The console's own API: who is signed in, member-preview tokens, and the operators' overview.
// Shared with the renderer (no Node imports here).
import { Type, type Static } from '@sinclair/typebox';
import { JobQueueState } from './jobs.js';

const RoleSchema = Type.Union([
  Type.Literal('member'),
  Type.Literal('reviewer'),
  Type.Literal('ml_engineer'),
  Type.Literal('admin'),
]);

export const SessionInfo = Type.Object({
  subject: Type.String(),
  role: RoleSchema,
  canMintPreviewTokens: Type.Boolean({ description: 'true when the server signs tokens itself (SDE_JWT_SECRET)' }),
  preview: Type.Optional(
    Type.Object(
      {
        reviewerId: Type.String({ description: 'the staff member acting as this member (the token’s act.sub)' }),
        write: Type.Boolean({ description: 'false: the token may only read (GET and HEAD)' }),
      },
      { description: 'present only for a member-preview token' },
    ),
  ),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const PreviewTokenInput = Type.Object(
  {
    memberId: Type.String({ minLength: 1, maxLength: 128 }),
    write: Type.Optional(
      Type.Boolean({ description: 'admins only: a token that may also write as the member (audited); default false' }),
    ),
  },
  { additionalProperties: false },
);
export type PreviewTokenInput = Static<typeof PreviewTokenInput>;

export const PreviewToken = Type.Object({
  token: Type.String(),
  subject: Type.String(),
  role: Type.Literal('member'),
  expiresInSeconds: Type.Integer(),
  write: Type.Boolean({ description: 'false: read-only (any request but GET and HEAD is refused with 403)' }),
});
export type PreviewToken = Static<typeof PreviewToken>;

export const ActivityHour = Type.Object({
  hour: Type.String({ format: 'date-time', description: 'start of the UTC hour' }),
  slates: Type.Integer({ description: 'distinct slates served in the hour' }),
  swipes: Type.Integer(),
});
export type ActivityHour = Static<typeof ActivityHour>;

export const Overview = Type.Object({
  members: Type.Object({
    total: Type.Integer({ description: 'members not deleted' }),
    withAttributes: Type.Integer({ description: 'members not deleted who saved their attributes' }),
    deleted: Type.Integer(),
    optedOut: Type.Integer({ description: 'members not deleted who switched off all four feature groups' }),
  }),
  vectors: Type.Object({
    count: Type.Integer(),
    coverage: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'share of members with attributes who have a vector',
    }),
    models: Type.Array(Type.Object({ version: Type.String(), count: Type.Integer() })),
  }),
  liveModel: Type.Union([
    Type.Object({
      id: Type.String(),
      metrics: Type.Record(Type.String(), Type.Unknown()),
      statusChangedAt: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  jobs: JobQueueState,
  dwell: Type.Object({
    rows: Type.Integer({ description: 'members in user_dwell_avg' }),
    lastEventAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    refreshedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'when the last dwell_refresh job completed' }),
    ),
  }),
  activity: Type.Object({ hours: Type.Array(ActivityHour) }),
});
export type Overview = Static<typeof Overview>;
