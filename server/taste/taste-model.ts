// The taste model, as pure functions: item factors fitted from everyone's favorites (truncated SVD of
// the IDF-weighted member × item matrix), and a member's 256-d unit taste vector composed from
// feature-group blocks — favorites (collaborative, with a content fallback), interests text,
// communities — each normalised and weighted, concatenated, and projected to 256 dimensions by a fixed
// seeded random orthonormal map. See docs/taste-vectors.md for the reasoning behind each choice.
import { orthonormalise, randomizedSvd, seededGaussian, type SparseRows } from './linear-algebra.js';

export const TASTE_MODEL_FAMILY = 'taste-v1';
export const TASTE_DIMENSIONS = 256;
/** Collaborative factors per item; the favorites' collaborative block is always this wide (zero-padded). */
export const FACTOR_RANK = 32;
/** Items favorited by fewer members than this get no factor (too little co-occurrence to place them). */
export const MIN_ITEM_SUPPORT = 2;
/** Width of the hashed bag of communities. */
export const COMMUNITY_BUCKETS = 64;
/** Seeds are fixed so the same inputs always give the same vector (and refits are reproducible). */
export const PROJECTION_SEED = 0x5de7a57e;
export const SVD_SEED = 0x5de5fd01;

/**
 * How much of a full vector's (squared) length each group gets when present. Groups that are absent or
 * opted out contribute nothing, and the final normalisation shares their weight among the others.
 */
export const BLOCK_WEIGHTS = { favorites: 0.5, interests: 0.3, communities: 0.2 } as const;

export type FeatureGroup = keyof typeof BLOCK_WEIGHTS;

export interface ItemFactor {
  /** log(1 + members / members who favorited it). */
  idf: number;
  factor: number[];
}

export interface FittedItemFactors {
  rank: number;
  members: number;
  favorites: number;
  singularValues: number[];
  items: Map<string, ItemFactor>;
}

/**
 * Learns item factors from all members' favorites: rows are members, columns items with at least
 * `MIN_ITEM_SUPPORT` members, entries the item's IDF (rarer shared items say more about taste), each
 * row scaled to unit length so prolific members do not dominate. The item factor is the item's row of
 * V (right singular vectors): folding a member in as Σ idf·v gives their coordinates in U·Σ space.
 */
export function fitItemFactors(
  favorites: ReadonlyArray<{ memberId: string; mediaId: string }>,
  options: { rank?: number; minSupport?: number; seed?: number } = {},
): FittedItemFactors {
  const rank = options.rank ?? FACTOR_RANK;
  const minSupport = options.minSupport ?? MIN_ITEM_SUPPORT;
  const byMember = new Map<string, Set<string>>();
  for (const { memberId, mediaId } of favorites) {
    let items = byMember.get(memberId);
    if (!items) byMember.set(memberId, (items = new Set()));
    items.add(mediaId);
  }
  const support = new Map<string, number>();
  for (const items of byMember.values()) for (const item of items) support.set(item, (support.get(item) ?? 0) + 1);
  const columnOf = new Map<string, number>();
  for (const [item, count] of [...support].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (count >= minSupport) columnOf.set(item, columnOf.size);
  }
  const memberCount = byMember.size;
  const idfOf = (item: string) => Math.log(1 + memberCount / support.get(item)!);
  const matrix: SparseRows = { columns: columnOf.size, rows: [] };
  let used = 0;
  for (const memberId of [...byMember.keys()].sort()) {
    const indices: number[] = [];
    const values: number[] = [];
    for (const item of byMember.get(memberId)!) {
      const column = columnOf.get(item);
      if (column === undefined) continue;
      indices.push(column);
      values.push(idfOf(item));
    }
    if (indices.length === 0) continue;
    const norm = Math.hypot(...values);
    matrix.rows.push({ indices, values: values.map((value) => value / norm) });
    used += indices.length;
  }
  const items = new Map<string, ItemFactor>();
  if (matrix.rows.length === 0 || matrix.columns === 0) {
    return {
      rank,
      members: memberCount,
      favorites: used,
      singularValues: Array.from({ length: rank }, () => 0),
      items,
    };
  }
  const svd = randomizedSvd(matrix, rank, { seed: options.seed ?? SVD_SEED });
  for (const [item, column] of columnOf) {
    items.set(item, { idf: idfOf(item), factor: svd.rightVectors.map((v) => v[column]!) });
  }
  return { rank, members: memberCount, favorites: used, singularValues: svd.singularValues, items };
}

/** One favorite as the composer sees it: its factor when the model has one, else its content embedding. */
export interface FavoriteFeatures {
  factor?: ItemFactor;
  content?: Float32Array | number[];
}

export interface TasteInputs {
  favorites: FavoriteFeatures[];
  /** Unit embeddings of interest and hobby texts. */
  interests: Array<Float32Array | number[]>;
  communities: string[];
}

/** Sizes of the blocks before projection: collaborative favorites, content favorites, interests, communities. */
export interface BlockLayout {
  factorRank: number;
  contentDimensions: number;
}

export interface ComposedTaste {
  vector: Float32Array;
  /** How many inputs each group contributed (zero groups added nothing). */
  contributions: {
    favoritesWithFactor: number;
    favoritesWithContent: number;
    interests: number;
    communities: number;
  };
}

function unit(values: Float64Array): Float64Array | null {
  let sum = 0;
  for (const value of values) sum += value * value;
  if (sum < 1e-24) return null;
  const scale = 1 / Math.sqrt(sum);
  return values.map((value) => value * scale);
}

function meanOf(vectors: ReadonlyArray<ArrayLike<number>>, dimensions: number, weights?: number[]): Float64Array {
  const out = new Float64Array(dimensions);
  vectors.forEach((vector, i) => {
    const weight = weights?.[i] ?? 1;
    for (let d = 0; d < dimensions; d++) out[d]! += weight * (vector[d] ?? 0);
  });
  return out;
}

/** Lower-cased, whitespace-collapsed, so "Berlin  Techno" and "berlin techno" are one community. */
export function normaliseCommunity(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Signed feature hashing of the member's communities: exact shared membership is the signal (two
 * members of "berlin techno" should match whatever the words mean), which an embedding would blur.
 */
export function communityBlock(communities: readonly string[]): Float64Array {
  const block = new Float64Array(COMMUNITY_BUCKETS);
  for (const name of new Set(communities.map(normaliseCommunity))) {
    if (name === '') continue;
    const hash = fnv1a(name);
    block[hash % COMMUNITY_BUCKETS]! += hash & 0x80000000 ? -1 : 1;
  }
  return block;
}

const projections = new Map<number, Float64Array[]>();

/**
 * The fixed projection from `inputDimensions` to 256: a seeded Gaussian matrix orthonormalised along
 * its smaller side, so it is an isometry when the input is narrower than 256 and a random orthogonal
 * 256-d subspace (distances preserved up to the Johnson–Lindenstrauss distortion) when wider. Returned
 * as 256 rows of length `inputDimensions`.
 */
export function projectionMatrix(inputDimensions: number): Float64Array[] {
  const cached = projections.get(inputDimensions);
  if (cached) return cached;
  const gaussian = seededGaussian(PROJECTION_SEED ^ inputDimensions);
  const rows = Array.from({ length: TASTE_DIMENSIONS }, () => Float64Array.from({ length: inputDimensions }, gaussian));
  if (inputDimensions >= TASTE_DIMENSIONS) {
    orthonormalise(rows);
  } else {
    // Orthonormal columns instead: transpose, orthonormalise, transpose back.
    const columns = Array.from({ length: inputDimensions }, (_, c) => Float64Array.from(rows, (row) => row[c]!));
    orthonormalise(columns);
    rows.forEach((row, r) => columns.forEach((column, c) => (row[c] = column[r]!)));
  }
  projections.set(inputDimensions, rows);
  return rows;
}

/**
 * A member's unit taste vector, or null when no group has anything to contribute. Favorites with a
 * factor go to the collaborative block (IDF-weighted sum of factors); the rest fall back to the
 * content block (mean of their content embeddings). Interests are the mean of their text embeddings;
 * communities a hashed bag. Each block is unit-normalised, then scaled by √weight — the favorites'
 * weight split between its two blocks by how many favorites each holds.
 */
export function composeTasteVector(inputs: TasteInputs, layout: BlockLayout): ComposedTaste | null {
  const { concatenated, contributions } = composeTasteBlocks(inputs, layout);
  if (!concatenated) return null;
  const width = concatenated.length;
  const projected = projectionMatrix(width).map((row) => {
    let dot = 0;
    for (let d = 0; d < width; d++) dot += row[d]! * concatenated[d]!;
    return dot;
  });
  const normalised = unit(Float64Array.from(projected));
  if (!normalised) return null;
  return { vector: Float32Array.from(normalised), contributions };
}

/** Where each group's block sits in the concatenated (pre-projection) vector. */
export function blockRanges(layout: BlockLayout): Record<'favorites' | 'interests' | 'communities', [number, number]> {
  const favoritesEnd = layout.factorRank + layout.contentDimensions;
  const interestsEnd = favoritesEnd + layout.contentDimensions;
  return {
    favorites: [0, favoritesEnd],
    interests: [favoritesEnd, interestsEnd],
    communities: [interestsEnd, interestsEnd + COMMUNITY_BUCKETS],
  };
}

/**
 * The weighted blocks concatenated, before projection (null when no group contributes): what the
 * privacy proof tests compare, since an opted-out group must change its own block and nothing else.
 */
export function composeTasteBlocks(
  inputs: TasteInputs,
  layout: BlockLayout,
): { concatenated: Float64Array | null; contributions: ComposedTaste['contributions'] } {
  const withFactor = inputs.favorites.filter((favorite) => favorite.factor);
  const withContent = inputs.favorites.filter((favorite) => !favorite.factor && favorite.content);
  const collaborative = unit(
    meanOf(
      withFactor.map((favorite) => favorite.factor!.factor),
      layout.factorRank,
      withFactor.map((favorite) => favorite.factor!.idf),
    ),
  );
  const content = unit(
    meanOf(
      withContent.map((favorite) => favorite.content!),
      layout.contentDimensions,
    ),
  );
  const interests = unit(meanOf(inputs.interests, layout.contentDimensions));
  const communities = unit(communityBlock(inputs.communities));
  const favoriteCount = (collaborative ? withFactor.length : 0) + (content ? withContent.length : 0);
  const blocks: Array<[Float64Array | null, number, number]> = [
    [
      collaborative,
      layout.factorRank,
      favoriteCount ? (BLOCK_WEIGHTS.favorites * withFactor.length) / favoriteCount : 0,
    ],
    [
      content,
      layout.contentDimensions,
      favoriteCount ? (BLOCK_WEIGHTS.favorites * withContent.length) / favoriteCount : 0,
    ],
    [interests, layout.contentDimensions, BLOCK_WEIGHTS.interests],
    [communities, COMMUNITY_BUCKETS, BLOCK_WEIGHTS.communities],
  ];
  const contributions = {
    favoritesWithFactor: collaborative ? withFactor.length : 0,
    favoritesWithContent: content ? withContent.length : 0,
    interests: interests ? inputs.interests.length : 0,
    communities: communities ? inputs.communities.length : 0,
  };
  if (blocks.every(([block]) => block === null)) return { concatenated: null, contributions };
  const width = blocks.reduce((sum, [, size]) => sum + size, 0);
  const concatenated = new Float64Array(width);
  let offset = 0;
  for (const [block, size, weight] of blocks) {
    if (block) {
      const scale = Math.sqrt(weight);
      for (let d = 0; d < size; d++) concatenated[offset + d] = block[d]! * scale;
    }
    offset += size;
  }
  return { concatenated, contributions };
}

/** The version stored with each vector: the family, the fitted factors (or content-only) and the text model. */
export function tasteModelVersion(factorModelId: string | null, embeddingModelId: string): string {
  return `${TASTE_MODEL_FAMILY}@${factorModelId ?? 'content-only'}/${embeddingModelId}`;
}
