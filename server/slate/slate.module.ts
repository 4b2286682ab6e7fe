// The slate module: GET /api/v2/discovery/slate. The service composes retrieval, pair features, the
// ranker (per experiment arm) and the post-rank stages, and logs what it serves.
import type { RegisterModule } from '../module-context.js';
import { slateRoutes } from './slate.route.js';

export const registerSlateModule: RegisterModule<'slates'> = async (app, { slates }) => {
  await app.register(slateRoutes, { slates });
};
