// The safety stage: the threshold is exclusive, order is kept, and the unscored policy is applied.
import { describe, expect, it } from 'vitest';
import type { PostRankCandidate } from './postrank-types.js';
import { safetyStage } from './safety.js';

function candidate(userId: string, harassmentScore: number | null): PostRankCandidate {
  return { userId, score: 1, gender: null, taste: null, harassmentScore };
}

const list = [candidate('a', 0.93), candidate('b', 0.8), candidate('c', null), candidate('d', 0.1)];

describe('safetyStage', () => {
  it('removes scores above the threshold with the score in the reason, keeps the boundary and the order', () => {
    const outcome = safetyStage(list, { maxHarassment: 0.8, unscored: 'keep' });
    expect(outcome.kept.map((c) => c.userId)).toEqual(['b', 'c', 'd']);
    expect(outcome.removed).toEqual([{ userId: 'a', stage: 'safety', reason: 'harassment_score 0.93 > 0.8' }]);
    expect(outcome.unscored).toEqual(['c']);
  });

  it('removes unscored candidates when the policy says so', () => {
    const outcome = safetyStage(list, { maxHarassment: 0.8, unscored: 'remove' });
    expect(outcome.kept.map((c) => c.userId)).toEqual(['b', 'd']);
    expect(outcome.removed).toEqual([
      { userId: 'a', stage: 'safety', reason: 'harassment_score 0.93 > 0.8' },
      { userId: 'c', stage: 'safety', reason: 'unscored (policy: remove)' },
    ]);
    expect(outcome.unscored).toEqual([]);
  });

  it('follows the configured threshold', () => {
    const outcome = safetyStage(list, { maxHarassment: 0.05, unscored: 'keep' });
    expect(outcome.kept.map((c) => c.userId)).toEqual(['c']);
    expect(outcome.removed.map((r) => r.reason)).toEqual([
      'harassment_score 0.93 > 0.05',
      'harassment_score 0.8 > 0.05',
      'harassment_score 0.1 > 0.05',
    ]);
  });
});
