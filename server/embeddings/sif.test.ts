import { describe, expect, it } from 'vitest';
import { sifEmbed, sifWeight, wordTokens } from './sif.js';
import type { WordVectors } from './word-vectors.js';

/** Word vectors at the given frequency ranks in a 100k-word vocabulary. */
function vectorsOf(words: Record<string, { rank: number; vector: number[] }>): WordVectors {
  const byRank = new Map(Object.values(words).map((entry) => [entry.rank, entry.vector]));
  return {
    dimensions: 2,
    size: 100_000,
    sourceVocabularySize: 100_000,
    rankOf: (word) => words[word]?.rank,
    vectorAt: (rank) => Float32Array.from(byRank.get(rank)!),
  };
}

describe('SIF sentence vectors', () => {
  it('splits lowercase word tokens on punctuation and spaces', () => {
    expect(wordTokens("Blade Runner (1982): Director's Cut!")).toEqual([
      'blade',
      'runner',
      '1982',
      'director',
      's',
      'cut',
    ]);
  });

  it('weights frequent words far below rare ones', () => {
    expect(sifWeight(0, 341_479)).toBeLessThan(0.02);
    expect(sifWeight(50_000, 341_479)).toBeGreaterThan(0.99);
  });

  it('averages known words with SIF weights and returns unit length', () => {
    // "the" and "of" point along x, the rarer "noir" along y: the rare word dominates.
    const vectors = vectorsOf({
      the: { rank: 0, vector: [1, 0] },
      of: { rank: 3, vector: [1, 0] },
      noir: { rank: 20_000, vector: [0, 1] },
    });
    const { vector, tokens } = sifEmbed('The NOIR of', vectors);
    expect(tokens).toBe(3);
    expect(Math.hypot(vector[0]!, vector[1]!)).toBeCloseTo(1, 6);
    expect(vector[1]!).toBeGreaterThan(vector[0]!);
  });

  it('falls back to the accent-free spelling and gives a zero vector when nothing is known', () => {
    const vectors = vectorsOf({ the: { rank: 0, vector: [1, 0] }, amelie: { rank: 9_000, vector: [0, 1] } });
    expect(Array.from(sifEmbed('Amélie', vectors).vector)).toEqual([0, 1]);
    expect(Array.from(sifEmbed('zzzqqq', vectors).vector)).toEqual([0, 0]);
  });
});
