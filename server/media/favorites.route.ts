// The caller's favorites: list, add (by catalogue id or by free-text title), remove.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FavoriteAdded, FavoriteInput, FavoriteList, FavoriteParams } from '../../shared/schemas/media.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import { principalOf } from '../auth/auth.plugin.js';
import type { FavoritesService } from './favorites.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const favoritesRoutes: FastifyPluginAsyncTypebox<{ favorites: FavoritesService }> = async (
  app,
  { favorites },
) => {
  app.get(
    '/api/v2/favorites',
    bearerRoute(ANY_ROLE, {
      tags: ['favorites'],
      summary: "The caller's favorites, newest first",
      response: { 200: FavoriteList, ...errorResponses(400) },
    }),
    async (request) => favorites.list(principalOf(request).subject),
  );

  app.post(
    '/api/v2/favorites',
    bearerRoute(ANY_ROLE, {
      tags: ['favorites'],
      summary: 'Add a favorite by catalogue id ({ mediaId }) or by title ({ title, kind? })',
      description:
        'A title is canonicalised against the catalogue; the response shows the id it resolved to and the ' +
        'confidence. 201 when added, 200 when it already was a favorite. Adding queues a re-embed. The member ' +
        'must have saved attributes first (409 otherwise); at most 500 favorites per member (409).',
      body: FavoriteInput,
      response: { 200: FavoriteAdded, 201: FavoriteAdded, ...errorResponses(400, 409, 422) },
    }),
    async (request, reply) => {
      const result = await favorites.add(principalOf(request).subject, request.body);
      return reply.status(result.added ? 201 : 200).send(result.favorite);
    },
  );

  app.delete(
    '/api/v2/favorites/:mediaId',
    bearerRoute(ANY_ROLE, {
      tags: ['favorites'],
      summary: 'Remove a favorite (queues a re-embed)',
      params: FavoriteParams,
      response: { 204: { type: 'null', description: 'removed' }, ...errorResponses(400, 404) },
    }),
    async (request, reply) => {
      await favorites.remove(principalOf(request).subject, request.params.mediaId);
      return reply.status(204).send();
    },
  );
};
