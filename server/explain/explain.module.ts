// The explanations module: GET /api/v2/discovery/why/:targetId. The service (built with its template
// map, checked at start, and its cache in server/composition/services.ts) drops a member's cached
// explanations when anything about them changes.
import type { RegisterModule } from '../module-context.js';
import { explanationsRoutes } from './explanations.route.js';

export const registerExplainModule: RegisterModule<'explanations' | 'memberChanges'> = async (
  app,
  { explanations, memberChanges },
) => {
  // Any change to either member (profile, privacy, favorites, taste, swipes, safety) can change the reasons.
  memberChanges.subscribe((change) => explanations.invalidateMember(change.memberId));
  await app.register(explanationsRoutes, { explanations });
};
