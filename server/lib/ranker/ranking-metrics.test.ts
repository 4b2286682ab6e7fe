// NDCG@k and MAP against values worked out by hand, including LightGBM's conventions: an all-zero
// query scores 1, and equal scores keep input order.
import { describe, expect, it } from 'vitest';
import { argsortDescending, maxDcgAtK, meanAveragePrecision, ndcgAtK, ndcgPerQuery } from './ranking-metrics.js';

// Query 0: labels 2, 0, 1 ranked by score as [doc1 (0), doc2 (1), doc0 (2)].
// Query 1: two irrelevant documents.
const labels = [2, 0, 1, 0, 0];
const scores = [0.1, 0.3, 0.2, 5, 4];
const groups = Int32Array.from([3, 2]);

describe('ndcgAtK', () => {
  it('matches a hand computation with gain 2^l − 1 and a log2 discount', () => {
    const dcg3 = 0 + 1 / Math.log2(3) + 3 / Math.log2(4);
    const ideal3 = 3 + 1 / Math.log2(3);
    const perQuery = ndcgPerQuery(labels, scores, groups, 3);
    expect(perQuery[0]).toBeCloseTo(dcg3 / ideal3, 12);
    expect(perQuery[0]).toBeCloseTo(0.586882, 5);
    expect(ndcgAtK(labels, scores, groups, 3)).toBeCloseTo((dcg3 / ideal3 + 1) / 2, 12);
  });

  it('gives 0 at k=1 when the top document is irrelevant, and 1 for a query with no relevant documents', () => {
    const perQuery = ndcgPerQuery(labels, scores, groups, 1);
    expect(Array.from(perQuery)).toEqual([0, 1]);
  });

  it('truncates at the group size when k is larger', () => {
    expect(ndcgAtK(labels, scores, groups, 100)).toBeCloseTo(ndcgAtK(labels, scores, groups, 3), 12);
  });

  it('breaks score ties by input order', () => {
    expect(ndcgAtK([1, 0], [0.5, 0.5], Int32Array.from([2]), 1)).toBe(1);
    expect(ndcgAtK([0, 1], [0.5, 0.5], Int32Array.from([2]), 1)).toBe(0);
  });

  it('is 1 for a perfect ordering', () => {
    expect(ndcgAtK([3, 2, 1, 0], [4, 3, 2, 1], Int32Array.from([4]), 10)).toBe(1);
  });

  it('rejects groups that do not cover the labels', () => {
    expect(() => ndcgAtK(labels, scores, Int32Array.from([3, 1]), 3)).toThrow(/cover 4 rows, not 5/);
    expect(() => ndcgAtK(labels, scores, Int32Array.from([5, 0]), 3)).toThrow(/group 1 is empty/);
  });
});

describe('meanAveragePrecision', () => {
  it('matches a hand computation with relevance = label > 0', () => {
    // Query 0: hits at ranks 2 and 3 → (1/2 + 2/3) / 2; query 1 has no relevant documents → 1.
    const ap0 = (1 / 2 + 2 / 3) / 2;
    expect(meanAveragePrecision(labels, scores, groups)).toBeCloseTo((ap0 + 1) / 2, 12);
  });

  it('at k divides by min(k, relevant)', () => {
    // Top 2: one hit at rank 2 → (1/2) / min(2, 2).
    expect(meanAveragePrecision(labels.slice(0, 3), scores.slice(0, 3), Int32Array.from([3]), 2)).toBeCloseTo(0.25, 12);
  });
});

describe('helpers', () => {
  it('argsortDescending is stable for short and long lists', () => {
    const order = new Int32Array(100);
    argsortDescending([1, 3, 3, 2], 0, 4, order);
    expect(Array.from(order.subarray(0, 4))).toEqual([1, 2, 3, 0]);
    const long = Array.from({ length: 100 }, (_, i) => i % 3);
    argsortDescending(long, 0, 100, order);
    expect(order[0]).toBe(2);
    expect(order[1]).toBe(5);
    expect(order[99]).toBe(99);
  });

  it('maxDcgAtK sorts labels descending', () => {
    expect(maxDcgAtK([0, 1, 2], 0, 3, 2)).toBeCloseTo(3 + 1 / Math.log2(3), 12);
  });
});
