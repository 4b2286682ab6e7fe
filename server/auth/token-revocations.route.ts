// Token revocation routes: an admin revokes anyone's token(s); anyone may log themselves out everywhere.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { ADMIN_ONLY, ANY_ROLE } from '../../shared/schemas/roles.js';
import { OwnTokensRevoked, TokenRevocation, TokenRevocationInput } from '../../shared/schemas/tokens.js';
import { principalOf } from './auth.plugin.js';
import type { TokenRevocationsService } from './token-revocations.service.js';

export const tokenRevocationRoutes: FastifyPluginAsyncTypebox<{ revocations: TokenRevocationsService }> = async (
  app,
  { revocations },
) => {
  app.post(
    '/api/v2/admin/tokens/revoke',
    {
      config: { access: ADMIN_ONLY },
      schema: {
        tags: ['admin'],
        summary: 'Revoke one token by its jti, or every token a subject was issued before a time',
        description:
          'Takes effect on the next request on every replica (HTTP and gRPC). The subject cut-off is to the ' +
          'second and only ever moves later.',
        security: [{ bearer: [] }],
        body: TokenRevocationInput,
        response: { 200: TokenRevocation, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => revocations.revoke(principalOf(request), request.body),
  );

  app.post(
    '/api/v2/users/me/tokens/revoke',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['auth'],
        summary: 'Log out everywhere: every token issued to the caller before now stops working',
        description: 'The token that asks is revoked too; sign in again for a new one.',
        security: [{ bearer: [] }],
        response: { 200: OwnTokensRevoked, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => revocations.revokeOwn(principalOf(request)),
  );
};
