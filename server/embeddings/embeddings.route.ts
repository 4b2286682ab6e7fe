// HTTP routes of the embeddings module: embed one media item now; queue embedding of everything missing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmbedMissingResult, MediaEmbedBody, MediaEmbedResult } from '../../shared/schemas/embeddings.js';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { MediaEmbeddingService } from './media-embedding.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export const embeddingsRoutes: FastifyPluginAsyncTypebox<{ media: MediaEmbeddingService }> = async (app, { media }) => {
  app.post(
    '/api/v2/media/embed',
    {
      config: { access: OPERATORS, rateLimit: 'embed' },
      schema: {
        tags: ['embeddings'],
        summary: 'Embed one media item with the active provider and store it (fp16)',
        description: 'Skipped (no provider call, no cost) when an embedding from the same model id exists.',
        security: [{ bearer: [] }],
        body: MediaEmbedBody,
        response: { 200: MediaEmbedResult, 404: ErrorResponse, 502: ErrorResponse, ...errors },
      },
    },
    async (request) => media.embedOne(request.body.mediaId, principalOf(request).subject),
  );

  app.post(
    '/api/v2/admin/media/embed-missing',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['embeddings', 'admin'],
        summary: 'Queue embedding of every media item lacking an embedding from the active model',
        security: [{ bearer: [] }],
        response: { 202: EmbedMissingResult, ...errors },
      },
    },
    async (_request, reply) => {
      const jobId = await media.requestEmbedMissing();
      return reply.status(202).send({ jobId, queued: jobId !== null });
    },
  );
};
