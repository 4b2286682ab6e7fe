// The experiments module: arm assignment for the re-ranker experiment (`discovery_reranker_v2`) with
// exposure logging, and the admin API for flag definitions and exposures.
import type { RegisterModule } from '../module-context.js';
import { ExperimentsService } from './experiments.service.js';
import { experimentsRoutes } from './experiments.route.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Experiment arms per viewer; the slate asks it which model serves. */
    experiments: ExperimentsService;
  }
}

export const registerExperimentsModule: RegisterModule = async (app, { db, flags, log }) => {
  const experiments = new ExperimentsService(db, flags, log);
  app.decorate('experiments', experiments);
  await app.register(experimentsRoutes, { flags, experiments });
};
