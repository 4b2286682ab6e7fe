// HTTP routes of the embeddings module: embed one media item now; queue embedding of everything missing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmbedMissingResult, MediaEmbedBody, MediaEmbedResult } from '../../shared/schemas/embeddings.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { MediaEmbeddingService } from './media-embedding.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const embeddingsRoutes: FastifyPluginAsyncTypebox<{ media: MediaEmbeddingService }> = async (app, { media }) => {
  app.post(
    '/api/v2/media/embed',
    bearerRoute(
      OPERATORS,
      {
        tags: ['embeddings'],
        summary: 'Embed one media item with the active provider and store it (fp16)',
        description: 'Skipped (no provider call, no cost) when an embedding from the same model id exists.',
        body: MediaEmbedBody,
        response: { 200: MediaEmbedResult, ...errorResponses(400, 404, 502) },
      },
      { rateLimit: 'embed' },
    ),
    async (request) => media.embedOne(request.body.mediaId, principalOf(request).subject),
  );

  app.post(
    '/api/v2/admin/media/embed-missing',
    bearerRoute(OPERATORS, {
      tags: ['embeddings', 'admin'],
      summary: 'Queue embedding of every media item lacking an embedding from the active model',
      response: { 202: EmbedMissingResult, ...errorResponses(400) },
    }),
    async (_request, reply) => {
      const jobId = await media.requestEmbedMissing();
      return reply.status(202).send({ jobId, queued: jobId !== null });
    },
  );
};
