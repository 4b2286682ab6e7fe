// Operators' metadata routes: the merged metadata of one work, queueing refreshes, and the cache's
// hit ratio. No member route calls a metadata source.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  MediaMetadata,
  MediaMetadataParams,
  MetadataCacheStats,
  MetadataRefreshRequest,
  MetadataRefreshResponse,
} from '../../shared/schemas/metadata.js';
import { OPERATORS } from '../../shared/schemas/roles.js';
import type { MetadataService } from './metadata.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const metadataRoutes: FastifyPluginAsyncTypebox<{ metadata: MetadataService }> = async (app, { metadata }) => {
  app.get(
    '/api/v2/admin/metadata/cache',
    bearerRoute(OPERATORS, {
      tags: ['admin', 'metadata'],
      summary: 'Metadata cache per source: hits, misses, hit ratio, entries',
      response: { 200: MetadataCacheStats },
    }),
    async () => metadata.cacheStats(),
  );

  app.post(
    '/api/v2/admin/metadata/refresh',
    bearerRoute(OPERATORS, {
      tags: ['admin', 'metadata'],
      summary: 'Queue metadata fetches for catalogue works',
      description: 'One `metadata_fetch` job per id; failures retry with backoff in the job queue.',
      body: MetadataRefreshRequest,
      response: { 202: MetadataRefreshResponse, ...errorResponses(400, 422) },
    }),
    async (request, reply) => reply.status(202).send(await metadata.requestRefresh(request.body.mediaIds)),
  );

  app.get(
    '/api/v2/admin/metadata/:mediaId',
    bearerRoute(OPERATORS, {
      tags: ['admin', 'metadata'],
      summary: "A catalogue work's merged metadata",
      params: MediaMetadataParams,
      response: { 200: MediaMetadata, ...errorResponses(400, 404) },
    }),
    async (request) => metadata.get(request.params.mediaId),
  );
};
