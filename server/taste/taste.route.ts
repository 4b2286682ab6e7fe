// HTTP routes of the taste module: embed an ad-hoc profile into the taste space; run the taste builder
// on demand and read its latest data-quality check.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ANY_ROLE, OPERATORS } from '../../shared/schemas/roles.js';
import {
  EmbedProfileBody,
  EmbedProfileResult,
  TasteQualityCheck,
  TasteRebuildQueued,
} from '../../shared/schemas/taste.js';
import { errorBody } from '../http/errors.js';
import type { TasteBuilderService } from './taste-builder.service.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { TasteService } from './taste.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const tasteRoutes: FastifyPluginAsyncTypebox<{ taste: TasteService; builder: TasteBuilderService }> = async (
  app,
  { taste, builder },
) => {
  app.post(
    '/api/v2/embed',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['taste'],
        summary: 'The 256-d taste vector of a profile given in the body (nothing is stored)',
        description:
          'Built with the current taste model, exactly as a member with these groups would be. A body with ' +
          'nothing embeddable is a 422 saying what is missing.',
        body: EmbedProfileBody,
        response: { 200: EmbedProfileResult, ...errorResponses(400, 422, 502) },
      },
      { rateLimit: 'embed' },
    ),
    async (request) => taste.embedProfile(request.body, { memberId: principalOf(request).subject }),
  );

  app.post(
    '/api/v2/admin/taste/rebuild',
    bearerRoute(OPERATORS, {
      tags: ['taste', 'admin'],
      summary: 'Queue the taste builder now (it also runs nightly at 02:00 UTC)',
      description:
        'Embeds favorited media lacking embeddings, refits the item factors, rebuilds every vector and ' +
        'stores a data-quality check.',
      response: { 202: TasteRebuildQueued, ...errorResponses(400) },
    }),
    async (_request, reply) => {
      const jobId = await builder.requestRebuild();
      return reply.status(202).send({ jobId, queued: jobId !== null });
    },
  );

  app.get(
    '/api/v2/admin/taste/quality',
    bearerRoute(OPERATORS, {
      tags: ['taste', 'admin'],
      summary: "The latest taste builder run's data-quality check",
      response: { 200: TasteQualityCheck, ...errorResponses(400, 404) },
    }),
    async (_request, reply) => {
      const check = await builder.latestQualityCheck();
      if (!check) {
        return reply
          .status(404)
          .send(errorBody(404, 'quality: the taste builder has not run yet; POST /api/v2/admin/taste/rebuild'));
      }
      return check;
    },
  );
};
