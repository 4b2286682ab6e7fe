// GET /api/v2/discovery/candidates: the retrieval stage over HTTP. Thin: the schema validates k and
// viewerId, the service checks who may ask and does the work.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CandidateList, CandidatesQuery } from '../../shared/schemas/candidates.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { CandidatesService } from './candidates.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const candidatesRoutes: FastifyPluginAsyncTypebox<{ candidates: CandidatesService }> = async (
  app,
  { candidates },
) => {
  app.get(
    '/api/v2/discovery/candidates',
    bearerRoute(ANY_ROLE, {
      tags: ['discovery'],
      summary: 'Up to k candidates for the caller: taste ANN merged with shared communities nearby',
      description:
        'Merged and deduplicated from two sources (taste: cosine over taste vectors; community: shared ' +
        'hobbies or communities within 100 km). Excludes the viewer, blocked or reported pairs, members ' +
        'swiped in the last 30 days, pairs whose gender preferences do not match both ways, deleted and ' +
        'opted-out members, and members too far away. A viewer who turned favorites off (or has no taste ' +
        'vector yet) gets the generic mode instead: community, proximity (by coarse distance band) and ' +
        'popularity (most liked in 30 days), no taste ANN; the x-sde-retrieval-mode and ' +
        'x-sde-retrieval-reason headers say which. Memoized per viewer and k for 30 s. Staff ' +
        '(reviewer, ml_engineer, admin) may pass viewerId to see another member’s candidates.',
      querystring: CandidatesQuery,
      response: { 200: CandidateList, ...errorResponses(400, 404) },
    }),
    async (request, reply) => {
      const { retrieval, candidates: list } = await candidates.retrievalFor(
        principalOf(request),
        request.query.k,
        request.query.viewerId,
      );
      // The body stays a plain list (existing clients); the mode travels in headers, as the slate's trace says it.
      void reply.header('x-sde-retrieval-mode', retrieval.mode);
      if (retrieval.reason) void reply.header('x-sde-retrieval-reason', retrieval.reason);
      return list;
    },
  );
};
