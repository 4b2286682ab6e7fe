// GET /api/v2/discovery/why/:targetId: why a member was suggested to the caller (or, for staff, to the
// viewer they name). Thin: schemas validate, the service checks and explains. Headers say which model
// explained and whether the answer came from the cache.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { Explanation, WhyParams, WhyQuery } from '../../shared/schemas/explanations.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ExplanationsService } from './explanations.service.js';

export const explanationsRoutes: FastifyPluginAsyncTypebox<{ explanations: ExplanationsService }> = async (
  app,
  { explanations },
) => {
  app.get(
    '/api/v2/discovery/why/:targetId',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['discovery'],
        summary: 'Why a member was suggested: the top reasons, in English and Spanish, and shared traits',
        description:
          'Explains the pair with exact TreeSHAP on the model that ranked it (the model of the viewer’s latest ' +
          'impression of the target, else the live one): the two features that pushed the score up most, as ' +
          'reasons from config/explain_map.json, plus "Both appreciate X" chips. A feature group either member ' +
          'opted out of is never a reason or a chip. Staff may pass `viewerId` to see another member’s. ' +
          'Headers: `x-sde-model-version`, `x-sde-cache: hit|miss`.',
        security: [{ bearer: [] }],
        params: WhyParams,
        querystring: WhyQuery,
        response: {
          200: Explanation,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const result = await explanations.why(principalOf(request), request.params.targetId, request.query.viewerId);
      reply.header('x-sde-model-version', result.explanation.model);
      reply.header('x-sde-cache', result.cache);
      return result.explanation;
    },
  );
};
