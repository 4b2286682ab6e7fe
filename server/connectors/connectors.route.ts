// Favorites connectors over REST: start a Spotify import, read every connector's sync status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConnectorStatus, ConnectorStatusList, SpotifyImportInput } from '../../shared/schemas/connectors.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { ConnectorsService } from './connectors.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const connectorsRoutes: FastifyPluginAsyncTypebox<{ connectors: ConnectorsService }> = async (
  app,
  { connectors },
) => {
  app.post(
    '/api/v2/favorites/import/spotify',
    bearerRoute(
      ANY_ROLE,
      {
        tags: ['favorites'],
        summary: "Connect the caller's Spotify account and import their saved tracks as favorites",
        description:
          'Exchanges the authorization code, keeps the refresh token encrypted, and queues the import; ' +
          'follow it with GET /api/v2/favorites/status. Re-connecting runs the import again (idempotent).',
        body: SpotifyImportInput,
        response: { 202: ConnectorStatus, ...errorResponses(400, 409, 502, 503) },
      },
      { rateLimit: 'spotifyImport' },
    ),
    async (request, reply) => {
      const status = await connectors.startSpotifyImport(principalOf(request).subject, request.body);
      return reply.status(202).send(status);
    },
  );

  app.get(
    '/api/v2/favorites/status',
    bearerRoute(ANY_ROLE, {
      tags: ['favorites'],
      summary: "Sync status of each of the caller's connectors (idle when never connected)",
      response: { 200: ConnectorStatusList, ...errorResponses(400) },
    }),
    async (request) => connectors.status(principalOf(request).subject),
  );
};
