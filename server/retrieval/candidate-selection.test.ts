// Unit tests of the retrieval stage's rules: every exclusion, both sources' scores, and the merge.
import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_MAX_KM,
  TASTE_MAX_KM,
  boundingBox,
  communityOverlap,
  eligibleCommunityHits,
  eligiblePopularityHits,
  eligibleProximityHits,
  eligibleTasteHits,
  exclusionReason,
  mergeCandidates,
  mergeGenericCandidates,
  type CandidateFacts,
  type CommunityHit,
  type ViewerProfile,
} from './candidate-selection.js';
import { distanceKm } from '../lib/great-circle.js';

const BERLIN = { lat: 52.52, lon: 13.405 };
const POTSDAM = { lat: 52.39, lon: 13.065 };
const HAMBURG = { lat: 53.551, lon: 9.993 };
const MUNICH = { lat: 48.137, lon: 11.575 };

const viewer: ViewerProfile = {
  id: 'viewer',
  gender: 'woman',
  seeking: ['man', 'nonbinary'],
  ...BERLIN,
  hobbies: ['climbing', 'film noir'],
  communities: ['Berlin Techno'],
  shareInterests: true,
};

function facts(overrides: Partial<CandidateFacts> = {}): CandidateFacts {
  return {
    userId: 'c1',
    gender: 'man',
    seeking: ['woman'],
    ...POTSDAM,
    deleted: false,
    optedOut: false,
    blocked: false,
    swipedRecently: false,
    ...overrides,
  };
}

function communityHit(overrides: Partial<CommunityHit> = {}): CommunityHit {
  return { ...facts(), hobbies: ['climbing'], communities: [], shareInterests: true, ...overrides };
}

describe('distances', () => {
  it('measures great-circle distance in km', () => {
    expect(distanceKm(BERLIN.lat, BERLIN.lon, HAMBURG.lat, HAMBURG.lon)).toBeGreaterThan(250);
    expect(distanceKm(BERLIN.lat, BERLIN.lon, HAMBURG.lat, HAMBURG.lon)).toBeLessThan(260);
    expect(distanceKm(1, 2, 1, 2)).toBe(0);
  });

  it('builds a bounding box that contains every point within the radius', () => {
    const box = boundingBox(BERLIN.lat, BERLIN.lon, 100);
    expect(box.minLat).toBeLessThan(POTSDAM.lat);
    expect(box.maxLat).toBeGreaterThan(POTSDAM.lat);
    // A point 99 km due east lies inside the longitude span.
    const east = BERLIN.lon + 99 / (111.045 * Math.cos((BERLIN.lat * Math.PI) / 180));
    expect(distanceKm(BERLIN.lat, BERLIN.lon, BERLIN.lat, east)).toBeLessThan(100);
    expect(east).toBeLessThan(box.maxLon as number);
    expect(HAMBURG.lon).toBeLessThan(box.minLon as number);
  });

  it('drops the longitude prefilter near a pole or across the antimeridian', () => {
    expect(boundingBox(89.9, 0, 100).minLon).toBeNull();
    expect(boundingBox(0, 179.9, 100).maxLon).toBeNull();
  });
});

describe('exclusion rules', () => {
  it('keeps an eligible candidate', () => {
    expect(exclusionReason(viewer, facts(), COMMUNITY_MAX_KM)).toBeNull();
  });

  it.each<[string, Partial<CandidateFacts>, string]>([
    ['the viewer themself', { userId: 'viewer' }, 'self'],
    ['a deleted member', { deleted: true }, 'deleted'],
    ['an opted-out member', { optedOut: true }, 'opted_out'],
    ['a blocked pair', { blocked: true }, 'blocked'],
    ['a recently swiped member', { swipedRecently: true }, 'swiped_recently'],
    ['a gender the viewer does not seek', { gender: 'woman', seeking: ['woman'] }, 'viewer_not_seeking'],
    ['a member without a gender', { gender: null }, 'viewer_not_seeking'],
    ['a member who does not seek the viewer', { seeking: ['man'] }, 'candidate_not_seeking'],
    ['a member beyond the cap', { ...HAMBURG }, 'too_far'],
    ['a member without a location', { lat: null, lon: null }, 'too_far'],
  ])('excludes %s', (_name, overrides, reason) => {
    expect(exclusionReason(viewer, facts(overrides), COMMUNITY_MAX_KM)).toBe(reason);
  });

  it('applies the cap it is given: Hamburg is too far for the community source, not for taste', () => {
    expect(exclusionReason(viewer, facts(HAMBURG), COMMUNITY_MAX_KM)).toBe('too_far');
    expect(exclusionReason(viewer, facts(HAMBURG), TASTE_MAX_KM)).toBeNull();
    expect(exclusionReason(viewer, facts(MUNICH), TASTE_MAX_KM)).toBe('too_far');
  });

  it('applies no distance rule to a viewer without a location', () => {
    expect(exclusionReason({ ...viewer, lat: null, lon: null }, facts(MUNICH), TASTE_MAX_KM)).toBeNull();
  });
});

describe('source scores', () => {
  it('scores community overlap as Jaccard over hobbies and communities, kept apart by group', () => {
    expect(communityOverlap(viewer, { hobbies: ['climbing', 'film noir'], communities: ['Berlin Techno'] })).toBe(1);
    expect(communityOverlap(viewer, { hobbies: ['climbing'], communities: [] })).toBeCloseTo(1 / 3);
    expect(communityOverlap(viewer, { hobbies: ['Berlin Techno'], communities: [] })).toBe(0);
    expect(communityOverlap({ hobbies: [], communities: [] }, { hobbies: [], communities: [] })).toBe(0);
  });

  it('keeps eligible taste hits, best first, with similarity clipped to [0, 1]', () => {
    const hits = [
      { ...facts({ userId: 'far' }), ...MUNICH, similarity: 0.99 },
      { ...facts({ userId: 'b' }), similarity: 0.5 },
      { ...facts({ userId: 'a' }), similarity: 0.9 },
      { ...facts({ userId: 'opposite' }), similarity: -0.4 },
      { ...facts({ userId: 'viewer' }), similarity: 1 },
    ];
    expect(eligibleTasteHits(viewer, hits)).toEqual([
      { userId: 'a', score: 0.9 },
      { userId: 'b', score: 0.5 },
      { userId: 'opposite', score: 0 },
    ]);
  });

  it('keeps eligible community hits with some overlap, and none for a viewer whose interests are private', () => {
    const hits = [
      communityHit({ userId: 'one-shared' }),
      communityHit({ userId: 'none-shared', hobbies: ['chess'] }),
      communityHit({ userId: 'private', shareInterests: false }),
      communityHit({ userId: 'swiped', swipedRecently: true }),
    ];
    expect(eligibleCommunityHits(viewer, hits).map((c) => c.userId)).toEqual(['one-shared']);
    expect(eligibleCommunityHits({ ...viewer, shareInterests: false }, hits)).toEqual([]);
  });
});

describe('merging sources', () => {
  it('dedupes, keeps both sources and combines their scores as 1 − (1 − t)(1 − c)', () => {
    const merged = mergeCandidates(
      [
        { userId: 'both', score: 0.6 },
        { userId: 'taste-only', score: 0.7 },
      ],
      [{ userId: 'both', score: 0.5 }],
      10,
    );
    expect(merged).toEqual([
      { userId: 'both', score: 0.8, sources: ['taste', 'community'] },
      { userId: 'taste-only', score: 0.7, sources: ['taste'] },
    ]);
  });

  it('returns at most k, keeping a share of the slots for community candidates', () => {
    const taste = Array.from({ length: 10 }, (_, i) => ({ userId: `t${i}`, score: 0.9 - i * 0.01 }));
    const community = [
      { userId: 'c0', score: 0.2 },
      { userId: 'c1', score: 0.1 },
      { userId: 'c2', score: 0.05 },
    ];
    const merged = mergeCandidates(taste, community, 5);
    // ⌈5 × 0.2⌉ = 1 slot: the best community candidate replaces the weakest taste pick.
    expect(merged.map((c) => c.userId)).toEqual(['t0', 't1', 't2', 't3', 'c0']);
  });

  it('serves community candidates alone when the viewer has no taste results (cold start)', () => {
    const community = [
      { userId: 'c1', score: 0.1 },
      { userId: 'c0', score: 0.2 },
    ];
    expect(mergeCandidates([], community, 1)).toEqual([{ userId: 'c0', score: 0.2, sources: ['community'] }]);
  });
});

describe('generic mode (favorites off)', () => {
  it('proximity scores by coarse band only: two members in the same band score the same, whatever their distance', () => {
    const near = facts({ userId: 'a', lat: 52.5201, lon: 13.4051 });
    const alsoNear = facts({ userId: 'b', lat: 52.521, lon: 13.406 });
    const potsdam = facts({ userId: 'c', ...POTSDAM });
    const hamburg = facts({ userId: 'd', ...HAMBURG });
    const scored = eligibleProximityHits(viewer, [potsdam, alsoNear, near, hamburg]);
    expect(scored).toEqual([
      { userId: 'a', score: 1 },
      { userId: 'b', score: 1 },
      { userId: 'c', score: 0.4 },
    ]);
  });

  it('popularity orders by likes received and shows only the rank, never the count', () => {
    const scored = eligiblePopularityHits(viewer, [
      { ...facts({ userId: 'a' }), likes: 3 },
      { ...facts({ userId: 'b' }), likes: 40 },
      { ...facts({ userId: 'c' }), likes: 0 },
    ]);
    expect(scored).toEqual([
      { userId: 'b', score: 1 },
      { userId: 'a', score: 0.5 },
    ]);
  });

  it('the generic merge never yields a taste source and keeps slots for community and popularity', () => {
    const proximity = Array.from({ length: 10 }, (_, i) => ({ userId: `p${i}`, score: 1 }));
    const merged = mergeGenericCandidates(
      { community: [{ userId: 'c0', score: 0.1 }], proximity, popularity: [{ userId: 'q0', score: 0.05 }] },
      5,
    );
    expect(merged).toHaveLength(5);
    expect(merged.flatMap((candidate) => candidate.sources)).not.toContain('taste');
    expect(merged.map((candidate) => candidate.userId)).toEqual(expect.arrayContaining(['c0', 'q0']));
  });
});
