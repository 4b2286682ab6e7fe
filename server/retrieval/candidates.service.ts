// Candidate retrieval for one viewer: who may ask for whose candidates, the memo, and the two sources
// fetched until enough eligible members come back (exclusions are applied after fetching).
import type { Candidate } from '../../shared/schemas/candidates.js';
import { STAFF } from '../../shared/schemas/roles.js';
import type { Principal } from '../auth/tokens.js';
import type { Database } from '../db/database.js';
import { HttpError } from '../http/errors.js';
import {
  COMMUNITY_MAX_KM,
  RECENT_SWIPE_DAYS,
  TASTE_MAX_KM,
  eligibleCommunityHits,
  eligibleTasteHits,
  mergeCandidates,
  type ScoredCandidate,
} from './candidate-selection.js';
import { CandidatesCache } from './candidates-cache.js';
import { CandidatesRepository, MAX_EF_SEARCH } from './candidates.repository.js';

/** How long a viewer's candidate list is reused (the "memoize for 30 s"). */
export const CANDIDATES_TTL_MS = 30_000;
/** Bounds the memo's memory: ~10k viewers × k ids. */
export const CANDIDATES_CACHE_ENTRIES = 10_000;
/** The community query never reads more rows than this for one request. */
const MAX_COMMUNITY_FETCH = 5_000;

export interface CandidatesServiceOptions {
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

export class CandidatesService {
  private readonly repository: CandidatesRepository;
  private readonly cache: CandidatesCache;
  private readonly now: () => number;

  constructor(db: Database, options: CandidatesServiceOptions = {}) {
    this.repository = new CandidatesRepository(db);
    this.now = options.now ?? Date.now;
    this.cache = new CandidatesCache({
      ttlMs: options.ttlMs ?? CANDIDATES_TTL_MS,
      maxEntries: options.maxEntries ?? CANDIDATES_CACHE_ENTRIES,
      now: this.now,
    });
  }

  /** Forget the viewer's memoized lists: call after their profile, privacy settings or swipes change. */
  invalidateCandidates(viewerId: string): void {
    this.cache.invalidate(viewerId);
  }

  /** Up to k candidates for the caller, or for `viewerId` when a staff member reviews someone's. */
  async candidatesFor(caller: Principal, k: number, viewerId?: string): Promise<Candidate[]> {
    const viewer = viewerId ?? caller.subject;
    if (viewer !== caller.subject && !STAFF.includes(caller.role)) {
      throw new HttpError(403, `querystring.viewerId: role "${caller.role}" may only retrieve its own candidates`);
    }
    const cached = this.cache.get(viewer, k);
    if (cached) return cached;
    const candidates = await this.retrieve(viewer, k);
    this.cache.set(viewer, k, candidates);
    return candidates;
  }

  private async retrieve(viewerId: string, k: number): Promise<Candidate[]> {
    const viewer = await this.repository.findViewer(viewerId);
    if (!viewer) {
      throw new HttpError(
        404,
        `viewer: member "${viewerId}" has no saved attributes (or is deleted); save them with PUT /api/v2/users/me/attributes first`,
      );
    }
    const swipedSince = new Date(this.now() - RECENT_SWIPE_DAYS * 86_400_000);
    // The SQL applies the exclusions, but only a bounding box for distance: each source starts with a
    // margin for the box's corners and doubles until k remain or it runs dry.
    const firstFetch = firstFetchFor(k);
    const [taste, community] = await Promise.all([
      viewer.hasVector
        ? fetchUntilEnough(
            k,
            firstFetch,
            MAX_EF_SEARCH,
            (limit) => this.repository.tasteNeighbours(viewer, swipedSince, TASTE_MAX_KM, limit),
            (hits) => eligibleTasteHits(viewer, hits),
          )
        : Promise.resolve([]),
      fetchUntilEnough(
        k,
        firstFetch,
        MAX_COMMUNITY_FETCH,
        (limit) => this.repository.communityNeighbours(viewer, swipedSince, COMMUNITY_MAX_KM, limit),
        (hits) => eligibleCommunityHits(viewer, hits),
      ),
    ]);
    return mergeCandidates(taste, community, k);
  }
}

/** Rows a source asks for first: k plus a margin for members in the box's corners, beyond the exact distance cap. */
export function firstFetchFor(k: number): number {
  return k + Math.ceil(k / 4) + 10;
}

async function fetchUntilEnough<Hit>(
  k: number,
  firstFetch: number,
  maxFetch: number,
  fetch: (limit: number) => Promise<Hit[]>,
  eligible: (hits: Hit[]) => ScoredCandidate[],
): Promise<ScoredCandidate[]> {
  let limit = Math.min(firstFetch, maxFetch);
  for (;;) {
    const hits = await fetch(limit);
    const scored = eligible(hits);
    // Fewer rows than asked for means the source has nothing more to give.
    if (scored.length >= k || hits.length < limit || limit >= maxFetch) return scored;
    limit = Math.min(limit * 2, maxFetch);
  }
}
