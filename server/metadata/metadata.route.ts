// Operators' metadata routes: the merged metadata of one work, queueing refreshes, and the cache's
// hit ratio. No member route calls a metadata source.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import {
  MediaMetadata,
  MediaMetadataParams,
  MetadataCacheStats,
  MetadataRefreshRequest,
  MetadataRefreshResponse,
} from '../../shared/schemas/metadata.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import type { MetadataService } from './metadata.service.js';

const errors = { 401: ErrorResponse, 403: ErrorResponse };

export const metadataRoutes: FastifyPluginAsyncTypebox<{ metadata: MetadataService }> = async (app, { metadata }) => {
  app.get(
    '/api/v2/admin/metadata/cache',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['admin', 'metadata'],
        summary: 'Metadata cache per source: hits, misses, hit ratio, entries',
        security: [{ bearer: [] }],
        response: { 200: MetadataCacheStats, ...errors },
      },
    },
    async () => metadata.cacheStats(),
  );

  app.post(
    '/api/v2/admin/metadata/refresh',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['admin', 'metadata'],
        summary: 'Queue metadata fetches for catalogue works',
        description: 'One `metadata_fetch` job per id; failures retry with backoff in the job queue.',
        security: [{ bearer: [] }],
        body: MetadataRefreshRequest,
        response: { 202: MetadataRefreshResponse, 400: ErrorResponse, 422: ErrorResponse, ...errors },
      },
    },
    async (request, reply) => reply.status(202).send(await metadata.requestRefresh(request.body.mediaIds)),
  );

  app.get(
    '/api/v2/admin/metadata/:mediaId',
    {
      config: { access: OPERATORS },
      schema: {
        tags: ['admin', 'metadata'],
        summary: "A catalogue work's merged metadata",
        security: [{ bearer: [] }],
        params: MediaMetadataParams,
        response: { 200: MediaMetadata, 400: ErrorResponse, 404: ErrorResponse, ...errors },
      },
    },
    async (request) => metadata.get(request.params.mediaId),
  );
};
