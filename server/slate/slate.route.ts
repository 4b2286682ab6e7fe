// GET /api/v2/discovery/slate: the whole pipeline over HTTP. Thin: the schema validates limit and
// viewerId, the service checks who may see whose slate and does the work.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { SlateQuery, SlateResponse } from '../../shared/schemas/slate.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { SlateService } from './slate.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const slateRoutes: FastifyPluginAsyncTypebox<{ slates: SlateService }> = async (app, { slates }) => {
  app.get(
    '/api/v2/discovery/slate',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['discovery'],
        summary: 'A slate for the caller: retrieve → rank → safety → diversity → parity, with a trace',
        description:
          'Retrieves 200 candidates, scores them with the model the viewer’s `discovery_reranker_v2` arm calls for ' +
          '(control: live; treatment: the shadow-status candidate model; shadow: live, with the candidate model scored ' +
          'and both rankings logged; holdout: no re-ranker), removes candidates above the harassment threshold, ' +
          'diversifies with a DPP and keeps each gender within the parity band. Every served slate is logged as ' +
          'impressions. Staff (reviewer, ml_engineer, admin) may pass viewerId and see every candidate in the trace, ' +
          'removed ones with stage and reason; members see their own slate and the trace of what they were served.',
        querystring: SlateQuery,
        response: { 200: SlateResponse, ...errorResponses(400, 404) },
      },
      { rateLimit: 'slate' },
    ),
    async (request) => slates.slateFor(principalOf(request), request.query.limit, request.query.viewerId),
  );
};
