// The safety module: the `safety_scores` admin API. The slate's safety stage reads every candidate's
// score in one query through the same service (server/composition/services.ts).
import type { RegisterModule } from '../module-context.js';
import { safetyScoresRoutes } from './safety-scores.route.js';

export const registerSafetyModule: RegisterModule<'safetyScores'> = async (app, { safetyScores }) => {
  await app.register(safetyScoresRoutes, { safetyScores });
};
