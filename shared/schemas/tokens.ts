// Token revocation (issue 11): an admin revokes one token by its id or all of a subject's tokens issued
// before a time; anyone may revoke all of their own ("log out everywhere"). Shared with the renderer.
import { Type, type Static } from '@sinclair/typebox';

export const TokenRevocationInput = Type.Object(
  {
    jti: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'revoke this one token' })),
    subject: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'revoke the tokens issued to this subject…' }),
    ),
    issuedBefore: Type.Optional(
      Type.String({ format: 'date-time', description: '…before this time (default: now); only with subject' }),
    ),
  },
  { additionalProperties: false, description: 'either { jti } or { subject, issuedBefore? }' },
);
export type TokenRevocationInput = Static<typeof TokenRevocationInput>;

export const TokenRevocation = Type.Union([
  Type.Object({ revoked: Type.Literal('token'), jti: Type.String() }),
  Type.Object({
    revoked: Type.Literal('subject'),
    subject: Type.String(),
    issuedBefore: Type.String({ format: 'date-time' }),
  }),
]);
export type TokenRevocation = Static<typeof TokenRevocation>;

export const OwnTokensRevoked = Type.Object({
  subject: Type.String(),
  issuedBefore: Type.String({
    format: 'date-time',
    description: 'tokens issued before this second (and the one that asked) no longer work',
  }),
});
export type OwnTokensRevoked = Static<typeof OwnTokensRevoked>;
