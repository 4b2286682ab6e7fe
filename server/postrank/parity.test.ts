// The parity stage: the band holds when the pool allows it (order kept, skips explained), the closest
// slate and its shortfall when it does not, and the edges (limit above the pool, band 0, no gender).
import { describe, expect, it } from 'vitest';
import type { Gender } from '../config/config.js';
import { parityStage } from './parity.js';
import type { PostRankCandidate } from './postrank-types.js';

/** Candidates from a pattern like 'mmwu': m = man, w = woman, n = nonbinary, u = unknown. */
function pool(pattern: string): PostRankCandidate[] {
  const genders: Record<string, Gender | null> = { m: 'man', w: 'woman', n: 'nonbinary', u: null };
  const seen: Record<string, number> = {};
  return [...pattern].map((letter, i) => {
    seen[letter] = (seen[letter] ?? 0) + 1;
    return {
      userId: `${letter}${seen[letter]}`,
      score: pattern.length - i,
      gender: genders[letter]!,
      taste: null,
      harassmentScore: null,
    };
  });
}

const ids = (list: readonly PostRankCandidate[]): string[] => list.map((c) => c.userId);

describe('parityStage', () => {
  it('keeps each share within the band, in order, and says why it skipped someone', () => {
    const outcome = parityStage(pool('mmmmmmmmwwww'), { limit: 6, band: 0.1, target: { woman: 0.5, man: 0.5 } });
    expect(ids(outcome.slate)).toEqual(['m1', 'm2', 'm3', 'w1', 'w2', 'w3']);
    expect(outcome.removed).toEqual(
      ['m4', 'm5', 'm6', 'm7', 'm8'].map((userId) => ({
        userId,
        stage: 'parity',
        reason: 'parity: man share 0.67 would exceed 0.60',
      })),
    );
    expect(outcome.shares).toEqual({ woman: 0.5, man: 0.5 });
    expect(outcome.shortfall).toEqual([]);
  });

  it('reserves the last slots for genders still below their minimum', () => {
    const outcome = parityStage(pool('uuuwm'), { limit: 4, band: 0, target: { woman: 0.25, man: 0.25 } });
    expect(ids(outcome.slate)).toEqual(['u1', 'u2', 'w1', 'm1']);
    expect(outcome.removed).toEqual([
      {
        userId: 'u3',
        stage: 'parity',
        reason: 'parity: the 2 open slot(s) are reserved for 1 woman, 1 man to reach the band',
      },
    ]);
    expect(outcome.shortfall).toEqual([]);
  });

  it('takes the target from the pool, with unknown genders counted but never constrained', () => {
    // Pool: 8 men, 8 women, 4 unknown → targets 0.4 / 0.4; limit 10, band 0.1 → 3 to 5 of each.
    const candidates = pool('mmmmmmmmuuuuwwwwwwww');
    const outcome = parityStage(candidates, { limit: 10, band: 0.1, target: 'pool' });
    expect(outcome.targetShares).toEqual({ woman: 0.4, man: 0.4 });
    expect(ids(outcome.slate)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'u1', 'u2', 'w1', 'w2', 'w3']);
    expect(outcome.removed.map((r) => r.userId)).toEqual(['m6', 'm7', 'm8', 'u3', 'u4']);
    expect(outcome.shortfall).toEqual([]);
  });

  it('returns the closest slate and reports the shortfall when the pool cannot meet the band', () => {
    const outcome = parityStage(pool('mmmmmmmmmmww'), { limit: 10, band: 0.1, target: { woman: 0.5, man: 0.5 } });
    // Both women, then men by order to fill the slate: never an error, never a short slate.
    expect(ids(outcome.slate)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'w1', 'w2']);
    expect(outcome.shortfall).toEqual([
      { gender: 'woman', target: 0.5, actual: 0.2, missing: 2 },
      { gender: 'man', target: 0.5, actual: 0.8, missing: -2 },
    ]);
  });

  it('serves the whole pool when the limit is larger than it', () => {
    const byPool = parityStage(pool('mmwmu'), { limit: 20, band: 0.1, target: 'pool' });
    expect(ids(byPool.slate)).toEqual(['m1', 'm2', 'w1', 'm3', 'u1']);
    expect(byPool.removed).toEqual([]);
    expect(byPool.shortfall).toEqual([]);

    const fixed = parityStage(pool('mmwmu'), { limit: 20, band: 0.1, target: { woman: 0.5, man: 0.5 } });
    expect(fixed.slate).toHaveLength(5);
    // 3 of 5 men is 0.6, inside 0.5 ± 0.1; 1 of 5 women is not, and the pool has no other.
    expect(fixed.shortfall).toEqual([{ gender: 'woman', target: 0.5, actual: 0.2, missing: 1 }]);
  });

  it('holds exact shares with band 0', () => {
    const outcome = parityStage(pool('wwwwwwmmmm'), { limit: 5, band: 0, target: 'pool' });
    expect(ids(outcome.slate)).toEqual(['w1', 'w2', 'w3', 'm1', 'm2']);
    expect(outcome.removed.map((r) => r.reason)).toEqual([
      'parity: woman share 0.80 would exceed 0.60',
      'parity: woman share 0.80 would exceed 0.60',
      'parity: woman share 0.80 would exceed 0.60',
    ]);
    expect(outcome.shares).toEqual({ woman: 0.6, man: 0.4 });
    expect(outcome.shortfall).toEqual([]);
  });

  it('reports an unreachable band 0 (thirds of 10) as a shortfall, not an error', () => {
    // A third of 10 is not a whole number: band 0 cannot be met, so the closest slate is served.
    const outcome = parityStage(pool('wwwwmmmmnnnn'), {
      limit: 10,
      band: 0,
      target: { woman: 1 / 3, man: 1 / 3, nonbinary: 1 / 3 },
    });
    // No whole count is within the band (3.33): three of each, and the tenth slot by order.
    expect(ids(outcome.slate)).toEqual(['w1', 'w2', 'w3', 'w4', 'm1', 'm2', 'm3', 'n1', 'n2', 'n3']);
    expect(outcome.shortfall.map((s) => [s.gender, s.missing])).toEqual([
      ['woman', -1],
      ['man', 1],
      ['nonbinary', 1],
    ]);
  });

  it('handles an empty pool and a zero limit', () => {
    expect(parityStage([], { limit: 20, band: 0.1, target: 'pool' })).toEqual({
      slate: [],
      removed: [],
      targetShares: {},
      shares: {},
      shortfall: [],
    });
    expect(parityStage(pool('mw'), { limit: 0, band: 0.1, target: 'pool' }).slate).toEqual([]);
  });
});
