// The slate module: composes retrieval, pair features, the ranker (per experiment arm) and the
// post-rank stages into GET /api/v2/discovery/slate, and logs what it serves.
import { PairFeaturesRepository } from '../features/pair-features.repository.js';
import { PairFeaturesService } from '../features/pair-features.service.js';
import type { RegisterModule } from '../module-context.js';
import { slateRoutes } from './slate.route.js';
import { SlateRepository } from './slate.repository.js';
import { SlateService } from './slate.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Slates (the benchmark and the console's review page build them through here too). */
    slates: SlateService;
  }
}

export const registerSlateModule: RegisterModule = async (app, { config, db }) => {
  const slates = new SlateService({
    repository: new SlateRepository(db),
    candidates: app.candidates,
    features: new PairFeaturesService(new PairFeaturesRepository(db)),
    models: app.models,
    experiments: app.experiments,
    safetyScores: app.safetyScores,
    discovery: config.discovery,
  });
  app.decorate('slates', slates);
  await app.register(slateRoutes, { slates });
};
