// The local storage driver's upload route: what a signed upload URL carries and what it answers.
import { Type, type Static } from '@sinclair/typebox';

export const UploadParams = Type.Object(
  { grantId: Type.String({ format: 'uuid', description: 'the upload grant the URL was issued for' }) },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object(
  {
    expires: Type.Integer({ minimum: 0, description: 'Unix time (s) after which the URL is refused' }),
    signature: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'HMAC-SHA256 of the grant and expiry, hex' }),
  },
  { additionalProperties: false },
);

export const UploadAccepted = Type.Object(
  { stored: Type.Literal(true), bytes: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
export type UploadAccepted = Static<typeof UploadAccepted>;
