// Erasure routes: a member erases themself (DELETE /api/v2/users/me); an admin files an erasure request
// for a member. Both answer with the receipt. Thin: schemas validate, the service acts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ERASURE_ADMINS, ErasureReceipt, ErasureRequestBody } from '../../shared/schemas/erasure.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import { DomainError, notFound } from '../errors/domain-errors.js';
import { errorBody } from '../http/errors.js';
import type { ErasureService } from './erasure.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const erasureRoutes: FastifyPluginAsyncTypebox<{ erasure: ErasureService }> = async (app, { erasure }) => {
  app.delete(
    '/api/v2/users/me',
    bearerRoute(ANY_ROLE, {
      tags: ['privacy'],
      summary: "Erases the caller's member record and everything that names them; answers the receipt",
      description:
        'Irreversible. Deletes the profile, taste vector, favorites, swipes made and received, matches, ' +
        'impressions, exposures, events, connector accounts, queued jobs and raw connector pages; review ' +
        'flags about the member are kept anonymised (docs/erasure.md). Afterwards the same token reaches ' +
        'no data: member routes answer 404. Preview tokens are refused (staff use the admin route).',
      response: { 200: ErasureReceipt, ...errorResponses(404) },
    }),
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.preview) {
        return reply
          .status(403)
          .send(
            errorBody(403, 'authorization: a preview token cannot erase the member; use POST /api/v2/admin/erasures'),
          );
      }
      return erasure.erase(
        { memberId: principal.subject, requestedBy: { kind: 'member' } },
        new DomainError('not_found', `the caller "${principal.subject}" has no member record to erase`, {
          topic: 'member',
        }),
      );
    },
  );

  app.post(
    '/api/v2/admin/erasures',
    bearerRoute(ERASURE_ADMINS, {
      tags: ['privacy'],
      summary: 'Erases a member on an erasure request (admins); answers the receipt',
      description:
        'The same erasure as DELETE /api/v2/users/me, for requests that reach the operator another way. ' +
        'An unknown member is a 404; the log keeps a keyed hash of the member id, never the id.',
      body: ErasureRequestBody,
      response: { 200: ErasureReceipt, ...errorResponses(400, 404) },
    }),
    async (request) => {
      const { memberId, reason } = request.body;
      return erasure.erase(
        { memberId, reason, requestedBy: { kind: 'admin', adminId: principalOf(request).subject } },
        notFound('memberId', `"${memberId}" names no member`),
      );
    },
  );
};
