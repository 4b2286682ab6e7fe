// Unit tests of pair features: each column from hand-built facts, and the privacy masks.
import { describe, expect, it } from 'vitest';
import { PAIR_FEATURES, PAIR_FEATURE_COUNT, type PairFeatureName } from './pair-feature-spec.js';
import {
  cosine,
  jaccard,
  maskedGroups,
  pairFeatureRows,
  pairKey,
  type CandidateFacts,
  type PairSwipe,
  type MemberFacts,
} from './pair-features.js';

const NOW = new Date('2026-11-26T12:00:00Z');

function member(overrides: Partial<CandidateFacts> = {}): CandidateFacts {
  return {
    id: 'm',
    gender: 'man',
    birthday: '1990-01-01',
    lat: 52.52,
    lon: 13.405,
    hobbies: [],
    communities: [],
    shares: { interests: true, behavioural: true, connectors: true, favorites: true },
    completeness: 1,
    lastActiveAt: NOW.toISOString(),
    taste: null,
    favorites: new Map(),
    dwellAvgMs: null,
    likesReceived: 0,
    swipesReceived: 0,
    likedTasteSum: null,
    likedCount: 0,
    ...overrides,
  };
}

function valuesOf(
  viewer: MemberFacts,
  candidate: CandidateFacts,
  holders = new Map<string, number>(),
  pairSwipes = new Map<string, PairSwipe[]>(),
) {
  const row = pairFeatureRows(viewer, [candidate], {
    membersWithFavorites: 100,
    favoriteHolders: holders,
    pairSwipes,
    now: NOW,
  });
  expect(row).toHaveLength(PAIR_FEATURE_COUNT);
  return Object.fromEntries(PAIR_FEATURES.map((feature, i) => [feature.name, row[i]])) as Record<
    PairFeatureName,
    number
  >;
}

describe('pair features', () => {
  it('has unique names and a group for every feature', () => {
    expect(new Set(PAIR_FEATURES.map((feature) => feature.name)).size).toBe(PAIR_FEATURE_COUNT);
  });

  it('computes every column from the facts', () => {
    const viewer = member({
      id: 'v',
      birthday: '1990-01-01',
      hobbies: ['climbing', 'chess'],
      communities: ['Berlin Techno'],
      taste: Float32Array.from([1, 0, 0]),
      favorites: new Map([
        ['tt1', { viaConnector: false }],
        ['tt2', { viaConnector: true }],
        ['tt3', { viaConnector: true }],
      ]),
    });
    const candidate = member({
      id: 'c',
      birthday: '1995-01-01',
      lat: 52.39,
      lon: 13.065,
      hobbies: ['climbing', 'salsa'],
      communities: ['Berlin Techno', 'Vinyl'],
      taste: Float32Array.from([0.6, 0.8, 0]),
      likedTasteSum: Float32Array.from([0, 2, 0]),
      likedCount: 2,
      favorites: new Map([
        ['tt1', { viaConnector: false }],
        ['tt2', { viaConnector: true }],
        ['tt9', { viaConnector: true }],
      ]),
      dwellAvgMs: 4200,
      likesReceived: 3,
      swipesReceived: 8,
      completeness: 7 / 9,
      lastActiveAt: '2026-11-16T12:00:00Z',
    });
    const values = valuesOf(
      viewer,
      candidate,
      new Map([
        ['tt1', 10],
        ['tt2', 50],
      ]),
    );
    expect(values.taste_cosine).toBeCloseTo(0.6, 6);
    expect(values.reverse_affinity).toBe(0);
    expect(values.shared_favorites).toBe(2);
    expect(values.shared_favorites_idf).toBeCloseTo(Math.log(100 / 10) + Math.log(100 / 50), 12);
    expect(values.shared_connector_favorites).toBe(1);
    expect(values.hobbies_jaccard).toBeCloseTo(1 / 3, 12);
    expect(values.communities_jaccard).toBeCloseTo(1 / 2, 12);
    expect(values.distance_km).toBeGreaterThan(25);
    expect(values.distance_km).toBeLessThan(30);
    expect(values.age_gap_years).toBeCloseTo(5, 1);
    expect(values.candidate_dwell_avg_ms).toBe(4200);
    expect(values.candidate_like_rate).toBeCloseTo((3 + 1) / (8 + 4), 12);
    expect(values.profile_completeness).toBeCloseTo(7 / 9, 12);
    expect(values.candidate_days_inactive).toBeCloseTo(10, 9);
  });

  it("leaves the pair's own swipes out of the candidate's like rate and revealed taste", () => {
    const viewer = member({ id: 'v', taste: Float32Array.from([1, 0]) });
    // The candidate liked the viewer and one member with taste (0, 1); the viewer liked the candidate.
    const candidate = member({
      id: 'c',
      likedTasteSum: Float32Array.from([1, 1]),
      likedCount: 2,
      likesReceived: 3,
      swipesReceived: 5,
    });
    const swipes = new Map<string, PairSwipe[]>([
      [pairKey('v', 'c'), [{ from: 'v', to: 'c', action: 'like', recent: true }]],
      [pairKey('c', 'v'), [{ from: 'c', to: 'v', action: 'superlike', recent: true }]],
    ]);
    const values = valuesOf(viewer, candidate, new Map(), swipes);
    expect(values.candidate_like_rate).toBeCloseTo((2 + 1) / (4 + 4), 12);
    expect(values.reverse_affinity).toBeCloseTo(0, 6);
    const unrelated = valuesOf(viewer, candidate);
    expect(unrelated.candidate_like_rate).toBeCloseTo((3 + 1) / (5 + 4), 12);
    expect(unrelated.reverse_affinity).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('uses neutral values for what is unknown', () => {
    const values = valuesOf(member({ lat: null, lon: null }), member({ lastActiveAt: null }));
    expect(values.taste_cosine).toBe(0);
    expect(values.distance_km).toBe(20_000);
    expect(values.candidate_days_inactive).toBe(365);
    expect(values.candidate_like_rate).toBe(0.25);
  });

  it('masks a group either member opted out of, and only that group', () => {
    const viewer = member({ hobbies: ['climbing'], taste: Float32Array.from([1, 0]), dwellAvgMs: 1 });
    const candidate = member({ hobbies: ['climbing'], taste: Float32Array.from([1, 0]), dwellAvgMs: 900 });
    const open = valuesOf(viewer, candidate);
    expect(open.hobbies_jaccard).toBe(1);
    expect(open.taste_cosine).toBeCloseTo(1, 6);

    const privateInterests = valuesOf(viewer, { ...candidate, shares: { ...candidate.shares, interests: false } });
    expect(privateInterests.hobbies_jaccard).toBe(0);
    expect(privateInterests.taste_cosine).toBeCloseTo(1, 6);

    const viewerPrivateBehaviour = valuesOf({ ...viewer, shares: { ...viewer.shares, behavioural: false } }, candidate);
    expect(viewerPrivateBehaviour.candidate_dwell_avg_ms).toBe(0);
    expect(viewerPrivateBehaviour.candidate_like_rate).toBe(0);
    expect(viewerPrivateBehaviour.hobbies_jaccard).toBe(1);
    expect(viewerPrivateBehaviour.distance_km).toBe(0);

    expect([...maskedGroups(viewer, { ...candidate, shares: { ...candidate.shares, favorites: false } })]).toEqual([
      'favorites',
    ]);
  });

  it('computes cosine and Jaccard edge cases', () => {
    expect(cosine(Float32Array.from([0, 0]), Float32Array.from([1, 0]))).toBe(0);
    expect(cosine(null, Float32Array.from([1]))).toBe(0);
    expect(jaccard([], [])).toBe(0);
    expect(jaccard(['a', 'a'], ['a'])).toBe(1);
  });
});
