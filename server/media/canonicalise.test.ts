// The pure parts of canonicalise's ranking: year agreement, artist weighting and tie-breaking.
import { describe, expect, it } from 'vitest';
import { pickBest, scoreCandidate, titleSimilarity, yearAdjustment } from './canonicalise.js';

describe('yearAdjustment', () => {
  it('rewards the same year, tolerates one off, and costs more the further away', () => {
    expect(yearAdjustment(1982, 1982)).toBe(0.1);
    expect(yearAdjustment(1982, 1983)).toBe(0.05);
    expect(yearAdjustment(1982, 1992)).toBeCloseTo(-0.3);
    expect(yearAdjustment(1982, 2020)).toBeCloseTo(-0.3);
    expect(yearAdjustment(null, 1982)).toBe(0);
    expect(yearAdjustment(1982, null)).toBe(0);
  });
});

describe('scoreCandidate', () => {
  it('lets the artist decide between recordings of the same title', () => {
    const original = scoreCandidate({ similarity: 1, year: 2014, credit: 'Ed Sheeran' }, null, 'ed sheeran');
    const cover = scoreCandidate({ similarity: 1, year: 2014, credit: 'Harp Covers' }, null, 'ed sheeran');
    expect(original).toBeGreaterThan(cover);
  });

  it('prefers a credited candidate when an artist is asked for', () => {
    expect(scoreCandidate({ similarity: 1, year: null, credit: null }, null, 'someone')).toBeLessThan(1);
  });
});

describe('titleSimilarity', () => {
  it('takes the edit similarity when a typo leaves few shared trigrams', () => {
    expect(titleSimilarity('dvae', 'dvae', 'dave', 0.11)).toBeCloseTo(0.75);
    expect(titleSimilarity('matrix', 'matrix', 'matrix', 1)).toBe(1);
  });
});

describe('pickBest', () => {
  it('takes the highest score, then the more popular, then the older work', () => {
    const a = { id: 'a', score: 0.9, popularity: 5, year: 2000 };
    const b = { id: 'b', score: 0.9, popularity: 9, year: 2010 };
    const c = { id: 'c', score: 0.9, popularity: 9, year: 1990 };
    expect(pickBest([a, b])?.id).toBe('b');
    expect(pickBest([a, b, c])?.id).toBe('c');
    expect(pickBest([{ ...a, score: 0.95 }, b, c])?.id).toBe('a');
    expect(pickBest([])).toBeNull();
  });
});
