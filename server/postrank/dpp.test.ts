// The DPP diversity stage: duplicates are spread out, θ = 1 keeps the ranker's order, each greedy step
// is checked against log-determinants computed directly on a tiny case, and only needed rows are built.
import { describe, expect, it } from 'vitest';
import { seededUniform as mulberry32 } from '../lib/seeded-random.js';
import { diversityKernel, diversityStage, tradeoffAlpha, normalisedScores } from './dpp.js';
import type { PostRankCandidate } from './postrank-types.js';

function candidate(userId: string, score: number, taste: number[] | null): PostRankCandidate {
  return { userId, score, gender: null, taste: taste ? Float32Array.from(taste) : null, harassmentScore: null };
}

const ids = (list: readonly PostRankCandidate[]): string[] => list.map((c) => c.userId);

/** log det of a symmetric positive-definite matrix by a plain Cholesky factorisation. */
function logDet(matrix: number[][]): number {
  const n = matrix.length;
  const lower = matrix.map(() => new Array<number>(n).fill(0));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let value = matrix[i]![j]!;
      for (let k = 0; k < j; k++) value -= lower[i]![k]! * lower[j]![k]!;
      if (i === j) {
        if (value <= 0) return -Infinity;
        lower[i]![i] = Math.sqrt(value);
        sum += Math.log(value);
      } else {
        lower[i]![j] = value / lower[j]![j]!;
      }
    }
  }
  return sum;
}

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const result: number[][] = [];
  for (let first = 0; first <= n - k; first++) {
    for (const rest of subsets(n - first - 1, k - 1)) result.push([first, ...rest.map((i) => i + first + 1)]);
  }
  return result;
}

describe('diversityStage', () => {
  // Three taste clusters (orthogonal directions); cluster A holds the top three scores.
  const A = [1, 0, 0];
  const B = [0, 1, 0];
  const C = [0, 0, 1];
  const clustered = [
    candidate('a1', 1.0, A),
    candidate('a2', 0.95, A),
    candidate('a3', 0.9, A),
    candidate('b1', 0.8, B),
    candidate('b2', 0.75, B),
    candidate('c1', 0.7, C),
  ];

  it('spreads identical-taste duplicates out, then stops and keeps the rest in ranker order', () => {
    const outcome = diversityStage(clustered, { tradeoff: 0.7, select: 6 });
    expect(ids(outcome.ordered)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'b2']);
    // A duplicate of a selected candidate adds (almost) nothing to the determinant: the greedy stops.
    expect(outcome.selected).toBe(3);
    expect(outcome.kernelRowsComputed).toBe(3);
  });

  it('keeps the ranker order exactly at θ = 1 and builds no kernel', () => {
    const outcome = diversityStage(clustered, { tradeoff: 1, select: 6 });
    expect(ids(outcome.ordered)).toEqual(ids(clustered));
    expect(outcome.kernelRowsComputed).toBe(0);
  });

  it('stays close to the ranker order for θ near 1, and ignores scores at θ = 0', () => {
    // Nearly pure relevance: quality dominates, so the top of the ranked list leads.
    const relevant = diversityStage(clustered, { tradeoff: 0.999, select: 3 });
    expect(ids(relevant.ordered).slice(0, 2)).toEqual(['a1', 'a2']);
    // Pure diversity: every quality is 1, so the second pick is the first candidate unlike a1, and a
    // candidate without a taste vector (similar to nobody) is as diverse as an orthogonal one.
    const list = [candidate('x1', 9, A), candidate('x2', 8, A), candidate('none', 1, null), candidate('y', 0, B)];
    const diverse = diversityStage(list, { tradeoff: 0, select: 4 });
    expect(ids(diverse.ordered)).toEqual(['x1', 'none', 'y', 'x2']);
  });

  it('matches log-determinants computed directly on a tiny case, step by step', () => {
    const random = mulberry32(2018);
    const size = 8;
    const list = Array.from({ length: size }, (_, i) => {
      const raw = Array.from({ length: 4 }, () => random() * 2 - 1);
      const norm = Math.hypot(...raw);
      return candidate(
        `m${i}`,
        random(),
        raw.map((v) => v / norm),
      );
    });
    const tradeoff = 0.5;
    const kernel = diversityKernel(list, tradeoff);
    const full = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => kernel.entry(i, j)));
    const sub = (items: number[]) => items.map((i) => items.map((j) => full[i]![j]!));

    // The kernel is the documented one: q_i/q_j = exp(α(r_i − r_j)), S_ij = (1 + cos_ij)/2.
    const r = normalisedScores(list);
    const alpha = tradeoffAlpha(tradeoff);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const [a, b] = [list[i]!.taste!, list[j]!.taste!];
        const cos = a.reduce((sum, v, t) => sum + v * b[t]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
        const expected = i === j ? 1 : (1 + cos) / 2;
        const q = (k: number) => Math.exp(alpha * r[k]!);
        expect(full[i]![j]! / (kernel.quality[i]! * kernel.quality[j]!)).toBeCloseTo(expected, 9);
        expect(kernel.quality[i]! / kernel.quality[j]!).toBeCloseTo(q(i) / q(j), 9);
      }
    }

    const k = 4;
    const outcome = diversityStage(list, { tradeoff, select: k });
    expect(outcome.selected).toBe(k);
    const picks = outcome.ordered.slice(0, k).map((c) => list.indexOf(c));
    const gains = outcome.marginalGains ?? [];

    // First pick: the best single-item determinant, i.e. argmax L_ii (the brute force over 1-subsets).
    const singles = subsets(size, 1).map((s) => logDet(sub(s)));
    expect(picks[0]).toBe(singles.indexOf(Math.max(...singles)));

    let logDetSoFar = 0;
    for (let step = 0; step < k; step++) {
      const chosen = picks.slice(0, step + 1);
      logDetSoFar += Math.log(gains[step]!);
      // The incremental Cholesky gains sum to the directly computed log det of the selection.
      expect(Math.abs(logDetSoFar - logDet(sub(chosen)))).toBeLessThan(1e-9);
      // And each step's pick is the best extension of the previous selection.
      const before = picks.slice(0, step);
      const extensions = list
        .map((_, i) => i)
        .filter((i) => !before.includes(i))
        .map((i) => ({ i, value: logDet(sub([...before, i])) }));
      const best = extensions.reduce((a, b) => (b.value > a.value + 1e-12 ? b : a));
      expect(picks[step]).toBe(best.i);
    }

    // Greedy is an approximation: never above the exact MAP over all k-subsets (here 70 of them).
    const exact = Math.max(...subsets(size, k).map((s) => logDet(sub(s))));
    expect(logDetSoFar).toBeLessThanOrEqual(exact + 1e-9);
    expect(logDetSoFar).toBeGreaterThan(exact - 1);
  });

  it('computes at most `select` kernel rows and keeps every candidate', () => {
    const random = mulberry32(7);
    const list = Array.from({ length: 50 }, (_, i) =>
      candidate(
        `c${i}`,
        50 - i,
        Array.from({ length: 16 }, () => random() - 0.5),
      ),
    );
    const outcome = diversityStage(list, { tradeoff: 0.7, select: 10 });
    expect(outcome.selected).toBe(10);
    expect(outcome.kernelRowsComputed).toBeLessThanOrEqual(10);
    expect(outcome.kernelRowsComputed).toBe(9);
    expect([...ids(outcome.ordered)].sort()).toEqual([...ids(list)].sort());
    // S = ½·(all-ones) + ½·Gram has rank ≤ d + 1: with 16-dimensional tastes the greedy stops at 17.
    expect(diversityStage(list, { tradeoff: 0.7, select: 40 }).selected).toBe(17);
    // Beyond the selection, the ranker's order.
    const rest = ids(outcome.ordered).slice(10);
    expect(rest).toEqual(ids(list).filter((id) => rest.includes(id)));

    const larger = diversityStage(list.slice(0, 5), { tradeoff: 0.7, select: 20 });
    expect(larger.ordered).toHaveLength(5);
    expect(larger.kernelRowsComputed).toBeLessThanOrEqual(5);
    expect(diversityStage([], { tradeoff: 0.7, select: 20 })).toMatchObject({ ordered: [], selected: 0 });
  });
});
