// Pair features as plain functions over plain facts: what the repository loaded about a viewer and
// their candidates goes in, one row per candidate in PAIR_FEATURES column order comes out, with the
// privacy masks applied. Serving, training-data export and explanations all call this.
import { distanceKm } from '../lib/great-circle.js';
import {
  PAIR_FEATURES,
  PAIR_FEATURE_COUNT,
  type FeatureGroup,
  type MaskableGroup,
  type PairFeatureName,
} from './pair-feature-spec.js';

/** What the features need to know about one member. */
export interface MemberFacts {
  id: string;
  gender: string | null;
  birthday: string | null;
  lat: number | null;
  lon: number | null;
  hobbies: string[];
  communities: string[];
  /** Feature groups the member allows discovery to use. */
  shares: Record<MaskableGroup, boolean>;
  /** Share of profile fields filled in, 0..1. */
  completeness: number;
  lastActiveAt: string | null;
  taste: Float32Array | null;
  /** Favorite media ids, each with whether it came in through a connector. */
  favorites: Map<string, { viaConnector: boolean }>;
}

/** Facts about a candidate as others see them (aggregates over other members' behaviour). */
export interface CandidateFacts extends MemberFacts {
  dwellAvgMs: number | null;
  /** Likes and superlikes received in the like-rate window. */
  likesReceived: number;
  /** Likes, superlikes and passes received in the like-rate window. */
  swipesReceived: number;
  /** Sum and count of the taste vectors of the members this candidate liked: their revealed preference. */
  likedTasteSum: Float32Array | null;
  likedCount: number;
}

/** A swipe between two members of the batch, so a pair's features can leave out the pair's own swipes. */
export interface PairSwipe {
  from: string;
  to: string;
  action: 'like' | 'superlike' | 'pass';
  /** Inside the like-rate window. */
  recent: boolean;
}

export interface FeatureContext {
  /** Members with at least one favorite, for IDF. */
  membersWithFavorites: number;
  /** Members holding each favorite (for the favorites that appear in the batch). */
  favoriteHolders: Map<string, number>;
  /** Swipes among the batch's members, keyed by `pairKey(from, to)`. */
  pairSwipes: Map<string, PairSwipe[]>;
  now: Date;
}

export function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

const MAX_DISTANCE_KM = 20_000;
const MAX_DAYS_INACTIVE = 365;
const DAY_MS = 86_400_000;
/** Beta(1, 3) prior on the like rate: a member nobody has swiped on yet scores 0.25, not 0 or 1. */
const LIKE_PRIOR = { likes: 1, swipes: 4 };

const COLUMN = new Map<PairFeatureName, number>(PAIR_FEATURES.map((feature, index) => [feature.name, index]));
const GROUP_OF: FeatureGroup[] = PAIR_FEATURES.map((feature) => feature.group);

/** The groups masked for this pair: a group either member has opted out of is not used. */
export function maskedGroups(
  viewer: Pick<MemberFacts, 'shares'>,
  candidate: Pick<MemberFacts, 'shares'>,
): Set<MaskableGroup> {
  const masked = new Set<MaskableGroup>();
  for (const group of Object.keys(viewer.shares) as MaskableGroup[]) {
    if (!viewer.shares[group] || !candidate.shares[group]) masked.add(group);
  }
  return masked;
}

/** One row per candidate (row-major, PAIR_FEATURE_COUNT columns), masked groups zeroed. */
export function pairFeatureRows(
  viewer: MemberFacts,
  candidates: readonly CandidateFacts[],
  context: FeatureContext,
): Float64Array {
  const rows = new Float64Array(candidates.length * PAIR_FEATURE_COUNT);
  candidates.forEach((candidate, index) => {
    writePairFeatures(
      viewer,
      candidate,
      context,
      rows.subarray(index * PAIR_FEATURE_COUNT, (index + 1) * PAIR_FEATURE_COUNT),
    );
  });
  return rows;
}

function writePairFeatures(viewer: MemberFacts, candidate: CandidateFacts, context: FeatureContext, row: Float64Array) {
  const set = (name: PairFeatureName, value: number) => {
    row[COLUMN.get(name)!] = Number.isFinite(value) ? value : 0;
  };
  // A pair's features never include the pair's own swipes: in training data the viewer's swipe is the
  // label, and whether the candidate already liked the viewer is what a "match" label means.
  const own = withoutPairSwipes(viewer, candidate, context);
  set('taste_cosine', cosine(viewer.taste, candidate.taste));
  set('reverse_affinity', cosine(viewer.taste, own.likedTasteSum));
  const shared = sharedFavorites(viewer, candidate, context);
  set('shared_favorites', shared.count);
  set('shared_favorites_idf', shared.idf);
  set('shared_connector_favorites', shared.viaConnectors);
  set('hobbies_jaccard', jaccard(viewer.hobbies, candidate.hobbies));
  set('communities_jaccard', jaccard(viewer.communities, candidate.communities));
  set(
    'distance_km',
    viewer.lat === null || viewer.lon === null || candidate.lat === null || candidate.lon === null
      ? MAX_DISTANCE_KM
      : Math.min(MAX_DISTANCE_KM, distanceKm(viewer.lat, viewer.lon, candidate.lat, candidate.lon)),
  );
  set('age_gap_years', ageGapYears(viewer.birthday, candidate.birthday));
  set('candidate_dwell_avg_ms', candidate.dwellAvgMs ?? 0);
  set('candidate_like_rate', (own.likesReceived + LIKE_PRIOR.likes) / (own.swipesReceived + LIKE_PRIOR.swipes));
  set('profile_completeness', candidate.completeness);
  set(
    'candidate_days_inactive',
    candidate.lastActiveAt === null
      ? MAX_DAYS_INACTIVE
      : Math.min(MAX_DAYS_INACTIVE, Math.max(0, (context.now.getTime() - Date.parse(candidate.lastActiveAt)) / DAY_MS)),
  );
  maskRow(row, maskedGroups(viewer, candidate));
}

/** Zeroes, in place, the columns of a pair-feature row that belong to a masked group. */
export function maskRow(row: Float64Array, masked: ReadonlySet<MaskableGroup>): void {
  if (masked.size === 0) return;
  for (let column = 0; column < PAIR_FEATURE_COUNT; column++) {
    if (masked.has(GROUP_OF[column] as MaskableGroup)) row[column] = 0;
  }
}

/** The candidate's behavioural aggregates minus what the viewer and the candidate did to each other. */
function withoutPairSwipes(viewer: MemberFacts, candidate: CandidateFacts, context: FeatureContext) {
  let likesReceived = candidate.likesReceived;
  let swipesReceived = candidate.swipesReceived;
  for (const swipe of context.pairSwipes.get(pairKey(viewer.id, candidate.id)) ?? []) {
    if (!swipe.recent) continue;
    swipesReceived--;
    if (swipe.action !== 'pass') likesReceived--;
  }
  let likedTasteSum = candidate.likedTasteSum;
  const likedViewer = (context.pairSwipes.get(pairKey(candidate.id, viewer.id)) ?? []).some(
    (swipe) => swipe.action !== 'pass',
  );
  if (likedViewer && likedTasteSum && viewer.taste && candidate.likedCount > 0) {
    likedTasteSum =
      candidate.likedCount === 1 ? null : Float32Array.from(likedTasteSum, (value, i) => value - viewer.taste![i]!);
  }
  return { likesReceived: Math.max(0, likesReceived), swipesReceived: Math.max(0, swipesReceived), likedTasteSum };
}

export function cosine(a: Float32Array | null, b: Float32Array | null): number {
  if (!a || !b || a.length !== b.length) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const left = new Set(a);
  const right = new Set(b);
  let shared = 0;
  for (const item of left) if (right.has(item)) shared++;
  return shared / (left.size + right.size - shared);
}

function sharedFavorites(viewer: MemberFacts, candidate: MemberFacts, context: FeatureContext) {
  let count = 0;
  let idf = 0;
  let viaConnectors = 0;
  const [smaller, larger] =
    viewer.favorites.size <= candidate.favorites.size
      ? [viewer.favorites, candidate.favorites]
      : [candidate.favorites, viewer.favorites];
  for (const [mediaId, mine] of smaller) {
    const theirs = larger.get(mediaId);
    if (!theirs) continue;
    count++;
    const holders = Math.max(1, context.favoriteHolders.get(mediaId) ?? 1);
    idf += Math.log(Math.max(1, context.membersWithFavorites) / holders);
    if (mine.viaConnector && theirs.viaConnector) viaConnectors++;
  }
  return { count, idf, viaConnectors };
}

function ageGapYears(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  return Math.abs(Date.parse(a) - Date.parse(b)) / (365.2425 * DAY_MS);
}
