// The console's sign-in check (GET /api/v2/session: who the token stands for) and member-preview
// tokens (POST /api/v2/admin/preview-tokens).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PreviewToken, PreviewTokenInput, SessionInfo } from '../../shared/schemas/console.js';
import { ANY_ROLE, type Role } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { PreviewTokensService } from './preview-tokens.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

/** Previewing members is part of reviewing them; ML engineers work on models, not members. */
export const PREVIEWERS: readonly Role[] = ['reviewer', 'admin'];

export const sessionRoutes: FastifyPluginAsyncTypebox<{ previews: PreviewTokensService }> = async (
  app,
  { previews },
) => {
  app.get(
    '/api/v2/session',
    bearerRoute(ANY_ROLE, {
      tags: ['console'],
      summary: 'Who the bearer token stands for, and whether this server can mint preview tokens',
      response: { 200: SessionInfo },
    }),
    async (request) => {
      const { subject, role, preview } = principalOf(request);
      return { subject, role, canMintPreviewTokens: previews.canMint, ...(preview ? { preview } : {}) };
    },
  );

  app.post(
    '/api/v2/admin/preview-tokens',
    bearerRoute(PREVIEWERS, {
      tags: ['console'],
      summary: 'A 15-minute member token for previewing what a member sees (read-only unless an admin asks to write)',
      description:
        'The token carries the caller as `act.sub`; any request with it but GET and HEAD answers 403 unless ' +
        '`write: true` (admins only). The minting and every request made with it are audited as the caller’s.',
      body: PreviewTokenInput,
      response: { 200: PreviewToken, ...errorResponses(400, 404, 409) },
    }),
    async (request) => previews.mint(principalOf(request), request.body),
  );
};
