// The safety module: the `safety_scores` admin API, and `app.safetyScores` for the slate's safety stage
// (which reads every candidate's score in one query).
import type { RegisterModule } from '../module-context.js';
import { safetyScoresRoutes } from './safety-scores.route.js';
import { SafetyScoresService } from './safety-scores.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    safetyScores: SafetyScoresService;
  }
}

export const registerSafetyModule: RegisterModule = async (app, { db, memberChanges }) => {
  const safetyScores = new SafetyScoresService(db, memberChanges);
  app.decorate('safetyScores', safetyScores);
  await app.register(safetyScoresRoutes, { safetyScores });
};
