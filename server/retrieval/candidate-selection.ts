// The retrieval stage's pure logic: which fetched members may be shown to a viewer (exclusion rules),
// how each source scores them, and how the sources merge into one deduplicated list of k: taste ANN +
// community normally, community + proximity + popularity in the generic mode (favorites off, or no
// taste vector). The repository only fetches facts; every rule lives here so it is unit-tested in one place.
import type { Candidate, CandidateSource } from '../../shared/schemas/candidates.js';
import { coarseDistanceBand } from '../explain/bands.js';
import { distanceKm } from '../lib/great-circle.js';

/** Community and proximity source: only members this close are matched on shared tags. */
export const COMMUNITY_MAX_KM = 100;
/** Taste source: similar taste still has to be within reach; a wider cap than the community source's. */
export const TASTE_MAX_KM = 500;
/** Members the viewer liked, passed or superliked this recently are not offered again. */
export const RECENT_SWIPE_DAYS = 30;
/** When the taste source has results, this share of the k slots is kept for the community source. */
export const COMMUNITY_SHARE = 0.2;
/** Generic mode's proximity source: the community source's reach (members close enough to meet). */
export const PROXIMITY_MAX_KM = COMMUNITY_MAX_KM;
/** Generic mode's popularity source stands in for the taste source, so it keeps the taste source's reach. */
export const POPULARITY_MAX_KM = TASTE_MAX_KM;
/** Popularity counts likes and superlikes received this recently. */
export const POPULARITY_DAYS = 30;
/**
 * Proximity scores by coarse band of the distance between grid cells (server/explain/bands.ts), never
 * by distance: a member sees their candidates' retrieval scores, and an exact-distance score (or an
 * exact-distance order) would let them locate a candidate by moving their own location.
 */
const PROXIMITY_BAND_SCORES: Readonly<Record<string, number>> = {
  under_5_km: 1,
  under_10_km: 0.8,
  under_25_km: 0.6,
  under_50_km: 0.4,
  under_100_km: 0.2,
};
/** Grid-cell centres can put a member just inside the cap into the 100 km+ band. */
const PROXIMITY_FAR_SCORE = 0.1;

const KM_PER_DEGREE_LATITUDE = 111.045;

export interface ViewerProfile {
  id: string;
  gender: string;
  seeking: string[];
  lat: number | null;
  lon: number | null;
  hobbies: string[];
  communities: string[];
  /** The viewer's interests group (hobbies, communities) may be used to find candidates. */
  shareInterests: boolean;
}

/** What the repository knows about one fetched member, whichever source found them. */
export interface CandidateFacts {
  userId: string;
  gender: string | null;
  seeking: string[];
  lat: number | null;
  lon: number | null;
  deleted: boolean;
  /** All four feature groups switched off: the member has opted out of discovery. */
  optedOut: boolean;
  /** A block or report between the pair, in either direction. */
  blocked: boolean;
  /** The viewer liked, passed or superliked this member within RECENT_SWIPE_DAYS. */
  swipedRecently: boolean;
}

export interface TasteHit extends CandidateFacts {
  /** 1 − cosine distance between the two taste vectors. */
  similarity: number;
}

export interface CommunityHit extends CandidateFacts {
  hobbies: string[];
  communities: string[];
  shareInterests: boolean;
}

/** A member near the viewer (generic mode); the facts' location is all proximity needs. */
export type ProximityHit = CandidateFacts;

export interface PopularityHit extends CandidateFacts {
  /** Likes and superlikes received in the last POPULARITY_DAYS; the order only, never shown. */
  likes: number;
}

export type ExclusionReason =
  | 'self'
  | 'deleted'
  | 'opted_out'
  | 'blocked'
  | 'swiped_recently'
  | 'viewer_not_seeking'
  | 'candidate_not_seeking'
  | 'too_far'
  | 'interests_private';

export interface ScoredCandidate {
  userId: string;
  score: number;
}

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  /** Null when the box touches a pole or crosses the antimeridian: no longitude prefilter then. */
  minLon: number | null;
  maxLon: number | null;
}

/** A lat/lon box that contains every point within `km` of the centre: an index-friendly prefilter. */
export function boundingBox(lat: number, lon: number, km: number): BoundingBox {
  const dLat = km / KM_PER_DEGREE_LATITUDE;
  const minLat = lat - dLat;
  const maxLat = lat + dLat;
  if (minLat <= -90 || maxLat >= 90) {
    return { minLat: Math.max(-90, minLat), maxLat: Math.min(90, maxLat), minLon: null, maxLon: null };
  }
  // The widest longitude span is at the latitude farthest from the equator inside the box.
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat)) * (Math.PI / 180);
  const dLon = km / (KM_PER_DEGREE_LATITUDE * Math.cos(widest));
  if (lon - dLon < -180 || lon + dLon > 180) return { minLat, maxLat, minLon: null, maxLon: null };
  return { minLat, maxLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/** Why `candidate` must not be offered to `viewer` by this source; null when it may be. */
export function exclusionReason(
  viewer: ViewerProfile,
  candidate: CandidateFacts,
  maxDistanceKm: number,
): ExclusionReason | null {
  if (candidate.userId === viewer.id) return 'self';
  if (candidate.deleted) return 'deleted';
  if (candidate.optedOut) return 'opted_out';
  if (candidate.blocked) return 'blocked';
  if (candidate.swipedRecently) return 'swiped_recently';
  // Preferences must hold both ways; a member without a gender (no attributes yet) matches no one.
  if (candidate.gender === null || !viewer.seeking.includes(candidate.gender)) return 'viewer_not_seeking';
  if (!candidate.seeking.includes(viewer.gender)) return 'candidate_not_seeking';
  if (viewer.lat !== null && viewer.lon !== null) {
    if (candidate.lat === null || candidate.lon === null) return 'too_far';
    if (distanceKm(viewer.lat, viewer.lon, candidate.lat, candidate.lon) > maxDistanceKm) return 'too_far';
  }
  return null;
}

/** Tags namespaced by group, so a hobby and a community that share a name stay different tags. */
function tagsOf(hobbies: readonly string[], communities: readonly string[]): Set<string> {
  return new Set([...hobbies.map((h) => `hobby:${h}`), ...communities.map((c) => `community:${c}`)]);
}

/** Jaccard overlap of two members' hobbies and communities together, in [0, 1]. */
export function communityOverlap(
  viewer: Pick<ViewerProfile, 'hobbies' | 'communities'>,
  candidate: Pick<CommunityHit, 'hobbies' | 'communities'>,
): number {
  const a = tagsOf(viewer.hobbies, viewer.communities);
  const b = tagsOf(candidate.hobbies, candidate.communities);
  let shared = 0;
  for (const tag of a) if (b.has(tag)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function byScoreThenId(a: ScoredCandidate, b: ScoredCandidate): number {
  return b.score - a.score || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** The taste source's eligible hits, best first, scored by cosine similarity clipped to [0, 1]. */
export function eligibleTasteHits(viewer: ViewerProfile, hits: readonly TasteHit[]): ScoredCandidate[] {
  return hits
    .filter((hit) => exclusionReason(viewer, hit, TASTE_MAX_KM) === null)
    .map((hit) => ({ userId: hit.userId, score: Math.min(1, Math.max(0, hit.similarity)) }))
    .sort(byScoreThenId);
}

/** The community source's eligible hits, best first, scored by Jaccard overlap (only overlaps > 0). */
export function eligibleCommunityHits(viewer: ViewerProfile, hits: readonly CommunityHit[]): ScoredCandidate[] {
  if (!viewer.shareInterests) return [];
  const eligible: ScoredCandidate[] = [];
  for (const hit of hits) {
    if (exclusionReason(viewer, hit, COMMUNITY_MAX_KM) !== null) continue;
    // A member who keeps their interests private is not matched on them.
    if (!hit.shareInterests) continue;
    const score = communityOverlap(viewer, hit);
    if (score > 0) eligible.push({ userId: hit.userId, score });
  }
  return eligible.sort(byScoreThenId);
}

/** The proximity source's eligible hits, scored by coarse distance band (best band first, then id). */
export function eligibleProximityHits(viewer: ViewerProfile, hits: readonly ProximityHit[]): ScoredCandidate[] {
  if (viewer.lat === null || viewer.lon === null) return [];
  const eligible: ScoredCandidate[] = [];
  for (const hit of hits) {
    if (exclusionReason(viewer, hit, PROXIMITY_MAX_KM) !== null) continue;
    const band = coarseDistanceBand(viewer, hit);
    eligible.push({ userId: hit.userId, score: (band && PROXIMITY_BAND_SCORES[band.key]) ?? PROXIMITY_FAR_SCORE });
  }
  return eligible.sort(byScoreThenId);
}

/**
 * The popularity source's eligible hits, most liked first, scored by rank (1 for the most liked, falling
 * evenly): a candidate's like count is behavioural data and is not shown, only the order.
 */
export function eligiblePopularityHits(viewer: ViewerProfile, hits: readonly PopularityHit[]): ScoredCandidate[] {
  const eligible = hits
    .filter((hit) => hit.likes > 0 && exclusionReason(viewer, hit, POPULARITY_MAX_KM) === null)
    .sort((a, b) => b.likes - a.likes || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return eligible.map((hit, index) => ({ userId: hit.userId, score: 1 - index / eligible.length }));
}

/**
 * The generic mode's merge (no taste ANN): community, proximity and popularity hits into at most k
 * candidates, best first. A member found by several sources keeps them all and scores
 * 1 − Π(1 − score). Proximity finds nearly everyone nearby, so ⌈k × COMMUNITY_SHARE⌉ slots are kept
 * each for community and for popularity candidates (as many as they have) ahead of proximity-only ones.
 */
export function mergeGenericCandidates(
  sources: {
    community: readonly ScoredCandidate[];
    proximity: readonly ScoredCandidate[];
    popularity: readonly ScoredCandidate[];
  },
  k: number,
): Candidate[] {
  const order: CandidateSource[] = ['community', 'proximity', 'popularity'];
  const merged = new Map<string, Map<CandidateSource, number>>();
  for (const source of order) {
    for (const hit of sources[source as keyof typeof sources]) {
      let scores = merged.get(hit.userId);
      if (!scores) merged.set(hit.userId, (scores = new Map<CandidateSource, number>()));
      scores.set(source, hit.score);
    }
  }
  const all: Candidate[] = [...merged].map(([userId, scores]) => ({
    userId,
    score: 1 - [...scores.values()].reduce((rest, score) => rest * (1 - score), 1),
    sources: order.filter((source) => scores.has(source)),
  }));
  all.sort(byScoreThenId);
  const picked = all.slice(0, k);
  const reservedSources: CandidateSource[] = ['community', 'popularity'];
  const isReserved = (candidate: Candidate) => candidate.sources.some((source) => reservedSources.includes(source));
  for (const source of reservedSources) {
    const from = (candidate: Candidate) => candidate.sources.includes(source);
    const waiting = all.slice(k).filter((candidate) => from(candidate) && !picked.includes(candidate));
    let short = Math.ceil(k * COMMUNITY_SHARE) - picked.filter(from).length;
    // Swap the weakest proximity-only picks for the best of this source left out.
    for (let i = picked.length - 1; i >= 0 && short > 0 && waiting.length > 0; i--) {
      if (isReserved(picked[i] as Candidate)) continue;
      picked[i] = waiting.shift() as Candidate;
      short--;
    }
  }
  return picked.sort(byScoreThenId);
}

/**
 * Merges the two sources' eligible hits into at most k candidates, best first. A member found by both
 * keeps both sources and scores 1 − (1 − taste)(1 − community): never below either source's score, and
 * higher when both agree. Cosine similarities run higher than Jaccard overlaps, so when both sources
 * have results ⌈k × COMMUNITY_SHARE⌉ slots go to the best community candidates even if taste-only
 * candidates outscore them; otherwise the second source would rarely be seen.
 */
export function mergeCandidates(
  taste: readonly ScoredCandidate[],
  community: readonly ScoredCandidate[],
  k: number,
): Candidate[] {
  const merged = new Map<string, { taste?: number; community?: number }>();
  for (const hit of taste) merged.set(hit.userId, { taste: hit.score });
  for (const hit of community) merged.set(hit.userId, { ...merged.get(hit.userId), community: hit.score });

  const all: Candidate[] = [...merged].map(([userId, scores]) => {
    const sources: CandidateSource[] = [];
    if (scores.taste !== undefined) sources.push('taste');
    if (scores.community !== undefined) sources.push('community');
    const score =
      scores.taste !== undefined && scores.community !== undefined
        ? 1 - (1 - scores.taste) * (1 - scores.community)
        : (scores.taste ?? scores.community ?? 0);
    return { userId, score, sources };
  });
  all.sort(byScoreThenId);

  const picked = all.slice(0, k);
  const fromCommunity = (c: Candidate) => c.sources.includes('community');
  const reserved = taste.length > 0 ? Math.ceil(k * COMMUNITY_SHARE) : k;
  const waiting = all.slice(k).filter(fromCommunity);
  let short = reserved - picked.filter(fromCommunity).length;
  // Swap the weakest taste-only picks for the best community candidates left out, until the share is met.
  for (let i = picked.length - 1; i >= 0 && short > 0 && waiting.length > 0; i--) {
    if (fromCommunity(picked[i] as Candidate)) continue;
    picked[i] = waiting.shift() as Candidate;
    short--;
  }
  return picked.sort(byScoreThenId);
}
