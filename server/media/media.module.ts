// The media module: the canonical catalogue's autocomplete and members' favorites. canonicalise,
// MediaRepository and FavoritesRepository are imported directly by the modules that need them
// (connectors, metadata, embeddings).
import type { RegisterModule } from '../module-context.js';
import { favoritesRoutes } from './favorites.route.js';
import { mediaSearchRoutes } from './media-search.route.js';

export const registerMediaModule: RegisterModule<'favorites' | 'mediaSearch'> = async (
  app,
  { favorites, mediaSearch },
) => {
  await app.register(favoritesRoutes, { favorites });
  await app.register(mediaSearchRoutes, { search: mediaSearch });
};
