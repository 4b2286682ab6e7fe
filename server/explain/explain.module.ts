// The explanations module: GET /api/v2/discovery/why/:targetId and `app.explanations` for in-process
// callers (slates, the console). The template map is read and checked here, at start, so a broken
// config/explain_map.json stops the engine with the file and key named instead of failing requests.
import type { WhyResponse } from '../../shared/schemas/explanations.js';
import { ServedMembersRepository } from '../access/served-members.repository.js';
import { PairFeaturesRepository } from '../features/pair-features.repository.js';
import { PairFeaturesService } from '../features/pair-features.service.js';
import type { RegisterModule } from '../module-context.js';
import { loadExplainMap } from './explain-map.js';
import { ExplanationsCache } from './explanations-cache.js';
import { ExplanationsRepository } from './explanations.repository.js';
import { explanationsRoutes } from './explanations.route.js';
import { ExplanationsService } from './explanations.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Explains (viewer, target) pairs with the model that ranked them; cached per model version and view. */
    explanations: ExplanationsService;
  }
}

// Not in config.ts: constants until an operator needs to tune them (env vars would be
// SDE_EXPLAIN_CACHE_ENTRIES / SDE_EXPLAIN_CACHE_TTL_SECONDS). 20k entries of ~1 KB stay around 20 MB.
/** Explanations kept per replica. */
export const EXPLANATION_CACHE_ENTRIES = 20_000;
/** How long an explanation may be served without a change notice: the bound if a replica's change feed drops (server/events/member-changes.ts). */
export const EXPLANATION_CACHE_TTL_MS = 10 * 60 * 1000;

export const registerExplainModule: RegisterModule = async (app, { db, memberChanges }) => {
  const map = loadExplainMap();
  const cache = new ExplanationsCache<WhyResponse>({
    maxEntries: EXPLANATION_CACHE_ENTRIES,
    ttlMs: EXPLANATION_CACHE_TTL_MS,
  });
  const explanations = new ExplanationsService(
    new ExplanationsRepository(db),
    new ServedMembersRepository(db),
    new PairFeaturesService(new PairFeaturesRepository(db)),
    app.models,
    map,
    cache,
  );
  app.decorate('explanations', explanations);
  // Any change to either member (profile, privacy, favorites, taste, swipes, safety) can change the reasons.
  memberChanges.subscribe((change) => explanations.invalidateMember(change.memberId));
  await app.register(explanationsRoutes, { explanations });
};
