// The retrieval module: candidate generation for a viewer (taste ANN ∪ community/proximity, merged,
// with exclusions) behind GET /api/v2/discovery/candidates, memoized per viewer; a viewer's memo is
// dropped when their profile, taste vector, privacy or swipes change (published as member changes).
import type { RegisterModule } from '../module-context.js';
import { candidatesRoutes } from './candidates.route.js';

export const registerRetrievalModule: RegisterModule<'candidates' | 'memberChanges'> = async (
  app,
  { candidates, memberChanges },
) => {
  memberChanges.subscribe((change) => candidates.invalidateCandidates(change.memberId));
  await app.register(candidatesRoutes, { candidates });
};
