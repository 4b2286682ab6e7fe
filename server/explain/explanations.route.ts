// GET /api/v2/discovery/why/:targetId: why a member was suggested to the caller (or, for staff, to the
// viewer they name). Thin: schemas validate, the service checks who may ask, picks the member or the
// staff view and explains. Headers say which model explained and whether the answer came from the cache.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WhyParams, WhyQuery, WhyResponse } from '../../shared/schemas/explanations.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ExplanationsService } from './explanations.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const explanationsRoutes: FastifyPluginAsyncTypebox<{ explanations: ExplanationsService }> = async (
  app,
  { explanations },
) => {
  app.get(
    '/api/v2/discovery/why/:targetId',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['discovery'],
        summary: 'Why a member was suggested: the top reasons, in English and Spanish, and shared traits',
        description:
          'Explains the pair with exact TreeSHAP on the model that ranked it (the model of the viewer’s latest ' +
          'impression of the target, else the live one): the two features that pushed the score up most, as ' +
          'reasons from config/explain_map.json, plus "Both appreciate X" chips. A feature group either member ' +
          'opted out of is never a reason or a chip. Members may ask only about members served to them in the ' +
          'last 30 days with no block or report either way (anything else is the same 404 as an unknown id) and ' +
          'get the member view: reasons, chips and coarse bands for distance and age gap, never a value, ' +
          'contribution or score. Staff (reviewer, ml_engineer, admin) get the staff view with exact values and ' +
          'may pass `viewerId` to explain another member’s suggestion. ' +
          'Headers: `x-sde-model-version`, `x-sde-cache: hit|miss`.',
        params: WhyParams,
        querystring: WhyQuery,
        response: { 200: WhyResponse, ...errorResponses(400, 404, 422, 503) },
      },
      { rateLimit: 'why' },
    ),
    async (request, reply) => {
      const result = await explanations.why(principalOf(request), request.params.targetId, request.query.viewerId);
      reply.header('x-sde-model-version', result.explanation.model);
      reply.header('x-sde-cache', result.cache);
      return result.explanation;
    },
  );
};
