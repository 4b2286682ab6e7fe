// The retrieval module: candidate generation for a viewer (taste ANN ∪ community/proximity, merged,
// with exclusions) behind GET /api/v2/discovery/candidates, memoized per viewer; a viewer's memo is
// dropped when their profile, taste vector, privacy or swipes change (published as member changes).
import type { RegisterModule } from '../module-context.js';
import { CandidatesRepository } from './candidates.repository.js';
import { candidatesRoutes } from './candidates.route.js';
import { CandidatesService } from './candidates.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Candidate retrieval (tests and reviewers' tools reach it here). */
    candidates: CandidatesService;
  }
}

export const registerRetrievalModule: RegisterModule = async (app, { db, memberChanges }) => {
  const candidates = new CandidatesService(new CandidatesRepository(db));
  app.decorate('candidates', candidates);
  memberChanges.subscribe((change) => candidates.invalidateCandidates(change.memberId));
  await app.register(candidatesRoutes, { candidates });
};
