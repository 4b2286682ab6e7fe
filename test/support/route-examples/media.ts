// Example requests for the media module's routes (favorites, autocomplete), used by the route × role
// access test. Every role's subject gets the example work as a favorite first, so each DELETE finds one.
import { ROLES } from '../../../shared/schemas/roles.js';
import { FavoritesRepository } from '../../../server/media/favorites.repository.js';
import { MediaRepository } from '../../../server/media/media.repository.js';
import type { PrepareExamples, RouteExamples } from './route-example.js';

const MEDIA_ID = 'tt0083658';

export const examples: RouteExamples = {
  'GET /api/v2/favorites': {},
  'POST /api/v2/favorites': { payload: { mediaId: MEDIA_ID } },
  'DELETE /api/v2/favorites/:mediaId': { url: `/api/v2/favorites/${MEDIA_ID}` },
  'GET /api/v2/media/search': { url: '/api/v2/media/search?q=blade&limit=5' },
};

export const prepare: PrepareExamples = async (t) => {
  await new MediaRepository(t.scratch.db).insertMissing([
    { id: MEDIA_ID, kind: 'film', title: 'Blade Runner', year: 1982 },
  ]);
  const favorites = new FavoritesRepository(t.scratch.db);
  for (const role of ROLES) await favorites.add(`${role}-1`, MEDIA_ID, 'manual');
};
