// GET/PATCH /api/v2/discovery/privacy: the caller's own privacy settings (docs/privacy.md).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PrivacyPatch, PrivacyResponse } from '../../shared/schemas/privacy.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import { requireSomeGroup, type PrivacyService } from './privacy.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const privacyRoutes: FastifyPluginAsyncTypebox<{ privacy: PrivacyService }> = async (app, { privacy }) => {
  app.get(
    '/api/v2/discovery/privacy',
    bearerRoute(ANY_ROLE, {
      tags: ['privacy'],
      summary: "The caller's privacy settings",
      response: { 200: PrivacyResponse, ...errorResponses(400) },
    }),
    async (request) => privacy.get(principalOf(request).subject),
  );

  app.patch(
    '/api/v2/discovery/privacy',
    bearerRoute(ANY_ROLE, {
      tags: ['privacy'],
      summary: 'Turn feature groups on or off for the caller',
      description:
        'Turning a group off masks it everywhere, queues a re-embed and deletes what the group holds ' +
        '(behavioural events, connector tokens, the taste vector) in the same transaction; `effects` lists it.',
      body: PrivacyPatch,
      response: { 200: PrivacyResponse, ...errorResponses(400, 404) },
    }),
    async (request) => {
      requireSomeGroup(request.body, '');
      return privacy.update(principalOf(request).subject, request.body);
    },
  );
};
