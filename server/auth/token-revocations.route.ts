// Token revocation routes: an admin revokes anyone's token(s); anyone may log themselves out everywhere.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ADMIN_ONLY, ANY_ROLE } from '../../shared/schemas/roles.js';
import { OwnTokensRevoked, TokenRevocation, TokenRevocationInput } from '../../shared/schemas/tokens.js';
import { principalOf } from './auth.plugin.js';
import type { TokenRevocationsService } from './token-revocations.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const tokenRevocationRoutes: FastifyPluginAsyncTypebox<{ revocations: TokenRevocationsService }> = async (
  app,
  { revocations },
) => {
  app.post(
    '/api/v2/admin/tokens/revoke',
    bearerRoute(ADMIN_ONLY, {
      tags: ['admin'],
      summary: 'Revoke one token by its jti, or every token a subject was issued before a time',
      description:
        'Takes effect on the next request on every replica (HTTP and gRPC). The subject cut-off is to the ' +
        'second and only ever moves later.',
      body: TokenRevocationInput,
      response: { 200: TokenRevocation, ...errorResponses(400) },
    }),
    async (request) => revocations.revoke(principalOf(request), request.body),
  );

  app.post(
    '/api/v2/users/me/tokens/revoke',
    bearerRoute(ANY_ROLE, {
      tags: ['auth'],
      summary: 'Log out everywhere: every token issued to the caller before now stops working',
      description: 'The token that asks is revoked too; sign in again for a new one.',
      response: { 200: OwnTokensRevoked },
    }),
    async (request) => revocations.revokeOwn(principalOf(request)),
  );
};
