// Catalogue autocomplete for any signed-in caller: prefix and trigram matches, best first.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MediaSearchQuery, MediaSearchResults } from '../../shared/schemas/media.js';
import { ANY_ROLE } from '../../shared/schemas/roles.js';
import type { MediaSearchService } from './media-search.service.js';
import { bearerRoute, errorResponses } from '../http/bearer-route.js';

export const mediaSearchRoutes: FastifyPluginAsyncTypebox<{ search: MediaSearchService }> = async (app, { search }) => {
  app.get(
    '/api/v2/media/search',
    bearerRoute(ANY_ROLE, {
      tags: ['media'],
      summary: 'Autocomplete over the media catalogue',
      description:
        'q is matched after normalisation (case, accents, punctuation, a leading article): titles starting ' +
        'with it first, then similar titles (trigrams, from 3 characters on). At most 20 results.',
      querystring: MediaSearchQuery,
      response: { 200: MediaSearchResults, ...errorResponses(400) },
    }),
    async (request) => search.search(request.query.q, request.query.kind, request.query.limit),
  );
};
