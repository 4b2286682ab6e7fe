// The diversity stage: greedy MAP inference for a determinantal point process over the ranked list
// (Chen, Zhang & Zhou, "Fast Greedy MAP Inference for Determinantal Point Process to Improve
// Recommendation Diversity", NeurIPS 2018, Algorithm 1). Each step adds the candidate that most
// increases log det(L_Y); incremental Cholesky updates make a step O(n·|Y|) and need only the kernel
// row of the candidate just selected, so at most `select` rows are ever built.
//
// Kernel: L = Diag(q)·S·Diag(q), with
//   - quality q_i = exp(α·r_i), α = θ / (2(1−θ)), r_i = the ranker score min-max normalised to [0, 1]
//     within the list (the paper's trade-off: log det L_Y = θ/(1−θ)·Σ r_i + log det S_Y, i.e. maximising
//     θ·relevance + (1−θ)·diversity). We use exp(α·(r_i − 1)) instead, the same kernel times the constant
//     exp(−2α): every step picks the same candidate, but the best candidate has q = 1, so nothing
//     overflows as θ → 1 and the stopping threshold is relative to the best candidate.
//   - similarity S_ij = (1 + cos_ij) / 2 of the taste vectors, in [0, 1]. With unit vectors this is
//     ½·(all-ones) + ½·Gram, a sum of two PSD matrices, so S is PSD (as a DPP kernel must be); a
//     candidate without a taste vector has similarity 0 to everyone else and 1 to itself, which keeps
//     S block-diagonal and PSD. A jitter ε·I (ε = 1e-12) keeps rounding from making a gain negative;
//     it is below the stopping threshold, so a near-duplicate of a selected candidate ends the greedy
//     selection instead of being picked on noise (the rest then follow in the ranker's order).
import type { DiversityOutcome, DiversityParams, PostRankCandidate } from './postrank-types.js';

/** Added to S's diagonal so identical tastes never give a (numerically) singular kernel. */
export const DPP_JITTER = 1e-12;
/** The greedy stops when the best remaining marginal gain d_j² is below this (Chen et al.'s ε). */
export const DPP_MIN_GAIN = 1e-10;

/** The paper's α for trade-off θ in [0, 1); θ = 1 is handled as "keep the ranker's order". */
export function tradeoffAlpha(tradeoff: number): number {
  return tradeoff / (2 * (1 - tradeoff));
}

/** Ranker scores min-max normalised to [0, 1] within the list (all 1 when every score is equal). */
export function normalisedScores(candidates: readonly PostRankCandidate[]): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const { score } of candidates) {
    if (!Number.isFinite(score)) continue;
    if (score < min) min = score;
    if (score > max) max = score;
  }
  const range = max - min;
  return Float64Array.from(candidates, ({ score }) => {
    if (!Number.isFinite(score)) return 0;
    return range > 0 ? (score - min) / range : 1;
  });
}

/** (1 + cos) / 2 of two taste vectors; 0 when either is missing or has no direction. */
export function tasteSimilarity(a: Float32Array | null, b: Float32Array | null): number {
  if (!a || !b) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (normA === 0 || normB === 0) return 0;
  return (1 + dot / Math.sqrt(normA * normB)) / 2;
}

export interface DiversityKernel {
  /** q_i, scaled so the best-scored candidate has 1. */
  quality: Float64Array;
  /** L_ij, computed on demand. */
  entry(i: number, j: number): number;
}

/** The DPP kernel of a ranked list for trade-off θ < 1; entries are computed only when asked for. */
export function diversityKernel(candidates: readonly PostRankCandidate[], tradeoff: number): DiversityKernel {
  const alpha = tradeoffAlpha(tradeoff);
  const relevance = normalisedScores(candidates);
  const quality = relevance.map((r) => Math.exp(alpha * (r - 1)));
  // Norms once per candidate, so a kernel entry costs one dot product.
  const tastes = candidates.map(({ taste }) => {
    if (!taste) return null;
    let norm = 0;
    for (const value of taste) norm += value * value;
    return norm > 0 ? { taste, norm: Math.sqrt(norm) } : null;
  });
  return {
    quality,
    entry(i, j) {
      if (i === j) return quality[i]! * quality[i]! * (1 + DPP_JITTER);
      const a = tastes[i];
      const b = tastes[j];
      if (!a || !b) return 0;
      let dot = 0;
      const length = Math.min(a.taste.length, b.taste.length);
      for (let t = 0; t < length; t++) dot += a.taste[t]! * b.taste[t]!;
      return quality[i]! * quality[j]! * ((1 + dot / (a.norm * b.norm)) / 2);
    },
  };
}

/**
 * Reorders a ranked list (best first) so the first `select` candidates are relevant and unlike each
 * other. Deterministic: equal gains go to the candidate earlier in the ranker's order.
 */
export function diversityStage(candidates: readonly PostRankCandidate[], params: DiversityParams): DiversityOutcome {
  const n = candidates.length;
  const select = Math.max(0, Math.min(Math.floor(params.select), n));
  if (params.tradeoff >= 1 || select === 0) {
    // θ = 1 is pure relevance (α = ∞): the ranker's order, with no kernel built.
    return { ordered: [...candidates], selected: select, kernelRowsComputed: 0, marginalGains: [] };
  }

  const kernel = diversityKernel(candidates, Math.max(0, params.tradeoff));
  // d_i² is candidate i's marginal gain det(L_{Y∪i}) / det(L_Y); c holds the rows of the incremental
  // Cholesky factor (row i, column s = the s-th selection).
  const gain = Float64Array.from({ length: n }, (_, i) => kernel.entry(i, i));
  const cholesky = new Float64Array(n * select);
  const taken = new Uint8Array(n);
  const picks: number[] = [];
  const marginalGains: number[] = [];
  let kernelRowsComputed = 0;

  let best = argmaxGain(gain, taken);
  while (best >= 0 && gain[best]! >= DPP_MIN_GAIN) {
    const j = best;
    picks.push(j);
    marginalGains.push(gain[j]!);
    taken[j] = 1;
    if (picks.length === select) break;

    // One kernel row, that of the candidate just selected: e_i = (L_ji − ⟨c_j, c_i⟩) / d_j.
    const step = picks.length - 1;
    const dj = Math.sqrt(gain[j]!);
    kernelRowsComputed += 1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      let inner = 0;
      for (let s = 0; s < step; s++) inner += cholesky[j * select + s]! * cholesky[i * select + s]!;
      const e = (kernel.entry(j, i) - inner) / dj;
      cholesky[i * select + step] = e;
      gain[i] = gain[i]! - e * e;
    }
    best = argmaxGain(gain, taken);
  }

  const ordered = picks.map((i) => candidates[i]!);
  for (let i = 0; i < n; i++) if (!taken[i]) ordered.push(candidates[i]!);
  return { ordered, selected: picks.length, kernelRowsComputed, marginalGains };
}

/** The untaken candidate with the largest gain; the earliest in ranker order on ties; −1 when none. */
function argmaxGain(gain: Float64Array, taken: Uint8Array): number {
  let best = -1;
  for (let i = 0; i < gain.length; i++) {
    if (taken[i]) continue;
    if (best < 0 || gain[i]! > gain[best]!) best = i;
  }
  return best;
}
