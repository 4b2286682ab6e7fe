// The taste model's pure parts: the SVD recovers known structure, factors carry co-occurrence, rare
// items fall back to content, opted-out (absent) groups contribute nothing, vectors are unit 256-d.
import { describe, expect, it } from 'vitest';
import { orthonormalise, randomizedSvd, symmetricEigen } from './linear-algebra.js';
import {
  communityBlock,
  composeTasteVector,
  fitItemFactors,
  projectionMatrix,
  TASTE_DIMENSIONS,
  tasteModelVersion,
  type TasteInputs,
} from './taste-model.js';

const layout = { factorRank: 8, contentDimensions: 4 };

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

describe('linear algebra', () => {
  it('finds the eigenvalues of a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(Math.abs(vectors[0]![0]!)).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('recovers the singular values of a sparse matrix with known spectrum', () => {
    // Block-diagonal: two all-ones blocks, 3×3 and 2×2 → singular values 3 and 2, then zeros.
    const rows = [
      { indices: [0, 1, 2], values: [1, 1, 1] },
      { indices: [0, 1, 2], values: [1, 1, 1] },
      { indices: [0, 1, 2], values: [1, 1, 1] },
      { indices: [3, 4], values: [1, 1] },
      { indices: [3, 4], values: [1, 1] },
    ];
    const svd = randomizedSvd({ columns: 5, rows }, 3, { seed: 1 });
    expect(svd.singularValues[0]).toBeCloseTo(3, 6);
    expect(svd.singularValues[1]).toBeCloseTo(2, 6);
    expect(svd.singularValues[2]).toBe(0);
  });

  it('orthonormalises and zeroes dependent vectors', () => {
    const [a, b, c] = orthonormalise([Float64Array.of(1, 1), Float64Array.of(2, 2.0000001), Float64Array.of(3, 3)]);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(a![0]! * b![0]! + a![1]! * b![1]!).toBeCloseTo(0, 6);
    expect(Math.hypot(...c!)).toBeLessThan(1e-6);
  });
});

describe('fitItemFactors', () => {
  // Two taste clusters: sci-fi fans and romance fans; "rare" is favorited by one member only.
  const favorites = [
    ...['m1', 'm2', 'm3', 'm4'].flatMap((memberId) =>
      ['alien', 'blade-runner', 'solaris'].map((mediaId) => ({ memberId, mediaId })),
    ),
    ...['m5', 'm6', 'm7'].flatMap((memberId) =>
      ['amelie', 'notting-hill', 'casablanca'].map((mediaId) => ({ memberId, mediaId })),
    ),
    { memberId: 'm1', mediaId: 'rare' },
  ];
  const fitted = fitItemFactors(favorites, { rank: 8 });

  it('gives factors only to items with enough support', () => {
    expect(fitted.items.has('rare')).toBe(false);
    expect(fitted.items.size).toBe(6);
    expect(fitted.members).toBe(7);
    expect(fitted.items.get('alien')!.factor).toHaveLength(8);
  });

  it('places co-favorited items together and apart from the other cluster', () => {
    const factor = (id: string) => fitted.items.get(id)!.factor;
    expect(cosine(factor('alien'), factor('solaris'))).toBeGreaterThan(0.99);
    expect(Math.abs(cosine(factor('alien'), factor('amelie')))).toBeLessThan(0.01);
  });

  it('weights items by IDF: the item fewer members share weighs more', () => {
    expect(fitted.items.get('amelie')!.idf).toBeGreaterThan(fitted.items.get('alien')!.idf);
  });

  it('is deterministic', () => {
    expect(fitItemFactors(favorites, { rank: 8 }).items.get('alien')).toEqual(fitted.items.get('alien'));
  });

  it('returns no factors when nothing is shared', () => {
    expect(fitItemFactors([{ memberId: 'a', mediaId: 'x' }]).items.size).toBe(0);
  });
});

describe('composeTasteVector', () => {
  const fitted = fitItemFactors(
    ['m1', 'm2', 'm3', 'n1', 'n2'].flatMap((memberId) =>
      (memberId.startsWith('m') ? ['a', 'b', 'c'] : ['x', 'y']).map((mediaId) => ({ memberId, mediaId })),
    ),
    { rank: 8 },
  );
  const withFactors = (ids: string[]): TasteInputs => ({
    favorites: ids.map((id) => ({ factor: fitted.items.get(id) })),
    interests: [],
    communities: [],
  });

  it('is a 256-d unit vector', () => {
    const composed = composeTasteVector(withFactors(['a']), layout)!;
    expect(composed.vector).toHaveLength(TASTE_DIMENSIONS);
    expect(Math.hypot(...composed.vector)).toBeCloseTo(1, 5);
  });

  it('makes members who favorite co-favorited items similar, and others not', () => {
    const a = composeTasteVector(withFactors(['a']), layout)!.vector;
    const c = composeTasteVector(withFactors(['c']), layout)!.vector;
    const x = composeTasteVector(withFactors(['x']), layout)!.vector;
    expect(cosine(a, c)).toBeGreaterThan(0.95);
    expect(Math.abs(cosine(a, x))).toBeLessThan(0.2);
  });

  it('falls back to content embeddings for favorites without a factor', () => {
    const composed = composeTasteVector(
      { favorites: [{ content: [1, 0, 0, 0] }, { factor: fitted.items.get('a') }], interests: [], communities: [] },
      layout,
    )!;
    expect(composed.contributions).toMatchObject({ favoritesWithFactor: 1, favoritesWithContent: 1 });
  });

  it('returns null when no group has anything to contribute', () => {
    expect(composeTasteVector({ favorites: [], interests: [], communities: [] }, layout)).toBeNull();
    expect(composeTasteVector({ favorites: [{}], interests: [[0, 0, 0, 0]], communities: [' '] }, layout)).toBeNull();
  });

  it('lets a group change the vector only when it is present', () => {
    const base: TasteInputs = { favorites: [], interests: [[0, 1, 0, 0]], communities: [] };
    const withCommunity = composeTasteVector({ ...base, communities: ['Berlin Techno'] }, layout)!.vector;
    const without = composeTasteVector(base, layout)!.vector;
    expect(cosine(withCommunity, without)).toBeLessThan(0.99);
    expect(composeTasteVector({ ...base, communities: [] }, layout)!.vector).toEqual(without);
  });

  it('matches communities regardless of case and spacing', () => {
    expect(communityBlock(['Berlin  Techno'])).toEqual(communityBlock(['berlin techno']));
  });

  it('projects with an orthonormal map (isometry for narrow inputs)', () => {
    const rows = projectionMatrix(10);
    for (let c = 0; c < 10; c++) {
      let norm = 0;
      for (const row of rows) norm += row[c]! * row[c]!;
      expect(norm).toBeCloseTo(1, 8);
    }
  });

  it('names the version after the fitted factors and the text model', () => {
    expect(tasteModelVersion(null, 'local-glove-100d-sif@1')).toBe('taste-v1@content-only/local-glove-100d-sif@1');
    expect(tasteModelVersion('fit-1', 'p')).toBe('taste-v1@fit-1/p');
  });
});
