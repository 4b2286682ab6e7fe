// The media module: the canonical catalogue's autocomplete and members' favorites. canonicalise,
// MediaRepository and FavoritesRepository are imported directly by the modules that need them
// (connectors, metadata, embeddings).
import type { RegisterModule } from '../module-context.js';
import { FavoritesService } from './favorites.service.js';
import { favoritesRoutes } from './favorites.route.js';
import { MediaSearchService } from './media-search.service.js';
import { mediaSearchRoutes } from './media-search.route.js';

export const registerMediaModule: RegisterModule = async (app, { db, jobs, memberChanges }) => {
  await app.register(favoritesRoutes, { favorites: new FavoritesService(db, jobs, memberChanges) });
  await app.register(mediaSearchRoutes, { search: new MediaSearchService(db) });
};
