// The in-code trigram similarity agrees with pg_trgm's definition on known values.
import { describe, expect, it } from 'vitest';
import { trigramSimilarity } from './trigram.js';

describe('trigramSimilarity', () => {
  it('is 1 for the same words whatever the case and accents', () => {
    expect(trigramSimilarity('Björk', 'bjork')).toBe(1);
    expect(trigramSimilarity('The Beatles', 'the beatles!')).toBe(1);
  });

  it('matches pg_trgm on a known pair', () => {
    // SELECT similarity('word', 'two words') = 0.36363637 (4 shared of 11 distinct trigrams).
    expect(trigramSimilarity('word', 'two words')).toBeCloseTo(4 / 11, 6);
  });

  it('is 0 for nothing in common or an empty side', () => {
    expect(trigramSimilarity('abc', 'xyz')).toBe(0);
    expect(trigramSimilarity('', 'xyz')).toBe(0);
  });
});
