// Favorites connectors over REST: start a Spotify import, read every connector's sync status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConnectorStatus, ConnectorStatusList, SpotifyImportInput } from '../../shared/schemas/connectors.js';
import { ErrorResponse } from '../../shared/schemas/errors.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ConnectorsService } from './connectors.service.js';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export const connectorsRoutes: FastifyPluginAsyncTypebox<{ connectors: ConnectorsService }> = async (
  app,
  { connectors },
) => {
  app.post(
    '/api/v2/favorites/import/spotify',
    {
      config: { access: ANY_ROLE, rateLimit: 'spotifyImport' },
      schema: {
        tags: ['favorites'],
        summary: "Connect the caller's Spotify account and import their saved tracks as favorites",
        description:
          'Exchanges the authorization code, keeps the refresh token encrypted, and queues the import; ' +
          'follow it with GET /api/v2/favorites/status. Re-connecting runs the import again (idempotent).',
        security: [{ bearer: [] }],
        body: SpotifyImportInput,
        response: { 202: ConnectorStatus, 409: ErrorResponse, 502: ErrorResponse, 503: ErrorResponse, ...errors },
      },
    },
    async (request, reply) => {
      const status = await connectors.startSpotifyImport(principalOf(request).subject, request.body);
      return reply.status(202).send(status);
    },
  );

  app.get(
    '/api/v2/favorites/status',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['favorites'],
        summary: "Sync status of each of the caller's connectors (idle when never connected)",
        security: [{ bearer: [] }],
        response: { 200: ConnectorStatusList, ...errors },
      },
    },
    async (request) => connectors.status(principalOf(request).subject),
  );
};
