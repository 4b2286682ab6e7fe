// The experiments module: arm assignment for the re-ranker experiment (`discovery_reranker_v2`) with
// exposure logging, and the admin API for flag definitions and exposures.
import type { RegisterModule } from '../module-context.js';
import { experimentsRoutes } from './experiments.route.js';

export const registerExperimentsModule: RegisterModule<'flags' | 'experiments'> = async (
  app,
  { flags, experiments },
) => {
  await app.register(experimentsRoutes, { flags, experiments });
};
