// Candidate retrieval for one viewer: who may ask for whose candidates, the memo, the mode (taste, or
// generic for a viewer with favorites off or no taste vector), and each mode's sources fetched until
// enough eligible members come back (exclusions are applied after fetching).
import type { Candidate, GenericReason, RetrievalTrace } from '../../shared/schemas/candidates.js';
import { requireViewerAccess } from '../access/viewer-access.js';
import type { Principal } from '../auth/tokens.js';
import { DomainError } from '../errors/domain-errors.js';
import {
  COMMUNITY_MAX_KM,
  POPULARITY_DAYS,
  POPULARITY_MAX_KM,
  PROXIMITY_MAX_KM,
  RECENT_SWIPE_DAYS,
  TASTE_MAX_KM,
  eligibleCommunityHits,
  eligiblePopularityHits,
  eligibleProximityHits,
  eligibleTasteHits,
  mergeCandidates,
  mergeGenericCandidates,
  type ScoredCandidate,
  type ViewerProfile,
} from './candidate-selection.js';
import { CandidatesCache } from './candidates-cache.js';
import { MAX_EF_SEARCH, type CandidatesRepository } from './candidates.repository.js';

/** How long a viewer's candidate list is reused (the "memoize for 30 s"). */
export const CANDIDATES_TTL_MS = 30_000;
/** Bounds the memo's memory: ~10k viewers × k ids. */
export const CANDIDATES_CACHE_ENTRIES = 10_000;
/** The community query never reads more rows than this for one request. */
const MAX_COMMUNITY_FETCH = 5_000;
/** Nor do the generic mode's proximity and popularity queries. */
const MAX_GENERIC_FETCH = 5_000;

/** A viewer's candidates and how they were found (the slate's trace says which mode served it). */
export interface Retrieval {
  retrieval: RetrievalTrace;
  candidates: Candidate[];
}

export interface CandidatesServiceOptions {
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
  ttlMs?: number;
  maxEntries?: number;
}

export class CandidatesService {
  private readonly cache: CandidatesCache<Retrieval>;
  private readonly now: () => number;

  constructor(
    private readonly repository: CandidatesRepository,
    options: CandidatesServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.cache = new CandidatesCache<Retrieval>({
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
    return (await this.retrievalFor(caller, k, viewerId)).candidates;
  }

  /** The candidates with the mode that found them. */
  async retrievalFor(caller: Principal, k: number, viewerId?: string): Promise<Retrieval> {
    const access = requireViewerAccess(caller, viewerId, { field: 'viewerId', action: 'retrieve its own candidates' });
    return this.retrievalForViewer(access.viewerId, k);
  }

  /** For a caller that already checked the viewer rule (the slate checks it once, at its entry). */
  async retrievalForViewer(viewer: string, k: number): Promise<Retrieval> {
    const cached = this.cache.get(viewer, k);
    if (cached) return cached;
    const retrieval = await this.retrieve(viewer, k);
    this.cache.set(viewer, k, retrieval);
    return retrieval;
  }

  private async retrieve(viewerId: string, k: number): Promise<Retrieval> {
    const viewer = await this.repository.findViewer(viewerId);
    if (!viewer) {
      throw new DomainError(
        'not_found',
        `member "${viewerId}" has no saved attributes (or is deleted); save them with PUT /api/v2/users/me/attributes first`,
        { topic: 'viewer' },
      );
    }
    const swipedSince = new Date(this.now() - RECENT_SWIPE_DAYS * 86_400_000);
    // Favorites off deletes the viewer's taste vector, but the flag decides: a vector written before the
    // opt-out landed must not be matched on either.
    const genericReason: GenericReason | null = !viewer.shareFavorites
      ? 'favorites_opt_out'
      : !viewer.hasVector
        ? 'no_taste_vector'
        : null;
    if (genericReason) {
      return {
        retrieval: { mode: 'generic', reason: genericReason },
        candidates: await this.retrieveGeneric(viewer, swipedSince, k),
      };
    }
    // The SQL applies the exclusions, but only a bounding box for distance: each source starts with a
    // margin for the box's corners and doubles until k remain or it runs dry.
    const firstFetch = firstFetchFor(k);
    const [taste, community] = await Promise.all([
      fetchUntilEnough(
        k,
        firstFetch,
        MAX_EF_SEARCH,
        (limit) => this.repository.tasteNeighbours(viewer, swipedSince, TASTE_MAX_KM, limit),
        (hits) => eligibleTasteHits(viewer, hits),
      ),
      this.communityHits(viewer, swipedSince, k),
    ]);
    return { retrieval: { mode: 'taste', reason: null }, candidates: mergeCandidates(taste, community, k) };
  }

  /** Generic mode: community, proximity and popularity; the taste ANN is never queried. */
  private async retrieveGeneric(viewer: ViewerProfile, swipedSince: Date, k: number): Promise<Candidate[]> {
    const firstFetch = firstFetchFor(k);
    const likedSince = new Date(this.now() - POPULARITY_DAYS * 86_400_000);
    const [community, proximity, popularity] = await Promise.all([
      this.communityHits(viewer, swipedSince, k),
      fetchUntilEnough(
        k,
        firstFetch,
        MAX_GENERIC_FETCH,
        (limit) => this.repository.proximityNeighbours(viewer, swipedSince, PROXIMITY_MAX_KM, limit),
        (hits) => eligibleProximityHits(viewer, hits),
      ),
      fetchUntilEnough(
        k,
        firstFetch,
        MAX_GENERIC_FETCH,
        (limit) => this.repository.popularNeighbours(viewer, swipedSince, POPULARITY_MAX_KM, likedSince, limit),
        (hits) => eligiblePopularityHits(viewer, hits),
      ),
    ]);
    return mergeGenericCandidates({ community, proximity, popularity }, k);
  }

  private communityHits(viewer: ViewerProfile, swipedSince: Date, k: number): Promise<ScoredCandidate[]> {
    return fetchUntilEnough(
      k,
      firstFetchFor(k),
      MAX_COMMUNITY_FETCH,
      (limit) => this.repository.communityNeighbours(viewer, swipedSince, COMMUNITY_MAX_KM, limit),
      (hits) => eligibleCommunityHits(viewer, hits),
    );
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
