// LambdaMART's per-document gradients and hessians, computed as LightGBM's `lambdarank` objective
// does (rank_objective.hpp): within each query, every pair of documents with different labels where
// at least one sits in the top `truncationLevel` by current score pulls the better document up and
// the worse one down, with a RankNet sigmoid weighted by the |ΔNDCG| of swapping them (gain
// 2^label − 1, log2 discount, normalised by the query's ideal DCG at the truncation level). With
// `normalize` (LightGBM's `lambdarank_norm`, on by default) each pair's |ΔNDCG| is divided by
// 0.01 + |score gap| and each query's lambdas are rescaled by log2(1 + Σ) / Σ, which keeps queries
// with many pairs from dominating.

import { labelGain, maxDcgAtK, rankDiscount } from './ranking-metrics.js';

export class LambdaRankGradients {
  private readonly queryStarts: Int32Array;
  private readonly inverseMaxDcg: Float64Array;
  private readonly gains: Float64Array;
  private readonly discounts: Float64Array;
  private readonly order: Int32Array;

  constructor(
    private readonly labels: Float64Array,
    private readonly groups: Int32Array,
    private readonly truncationLevel: number,
    private readonly sigmoid: number,
    private readonly normalize: boolean,
  ) {
    this.queryStarts = new Int32Array(groups.length + 1);
    this.inverseMaxDcg = new Float64Array(groups.length);
    let largest = 0;
    for (let g = 0; g < groups.length; g++) {
      const count = groups[g]!;
      const start = this.queryStarts[g]!;
      this.queryStarts[g + 1] = start + count;
      const ideal = maxDcgAtK(labels, start, count, truncationLevel);
      this.inverseMaxDcg[g] = ideal > 0 ? 1 / ideal : 0;
      largest = Math.max(largest, count);
    }
    this.gains = new Float64Array(labels.length);
    for (let row = 0; row < labels.length; row++) this.gains[row] = labelGain(labels[row]!);
    this.discounts = new Float64Array(largest);
    for (let rank = 0; rank < largest; rank++) this.discounts[rank] = rankDiscount(rank);
    this.order = new Int32Array(largest);
  }

  /** Fills `gradients` and `hessians` (one per row) from the current `scores`. */
  compute(scores: Float64Array, gradients: Float64Array, hessians: Float64Array): void {
    for (let g = 0; g < this.groups.length; g++) {
      this.computeQuery(this.queryStarts[g]!, this.groups[g]!, this.inverseMaxDcg[g]!, scores, gradients, hessians);
    }
  }

  private computeQuery(
    start: number,
    count: number,
    inverseMaxDcg: number,
    scores: Float64Array,
    gradients: Float64Array,
    hessians: Float64Array,
  ): void {
    const { labels, gains, discounts, order, sigmoid, normalize } = this;
    for (let i = 0; i < count; i++) {
      gradients[start + i] = 0;
      hessians[start + i] = 0;
    }
    if (inverseMaxDcg === 0 || count < 2) return;
    // Stable insertion sort of the query's rows by descending score (queries are short).
    for (let i = 0; i < count; i++) {
      const row = start + i;
      const score = scores[row]!;
      let j = i - 1;
      while (j >= 0 && scores[order[j]!]! < score) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = row;
    }
    const bestScore = scores[order[0]!]!;
    const worstScore = scores[order[count - 1]!]!;
    const scaleByScoreGap = normalize && bestScore !== worstScore;
    let sumLambdas = 0;
    const topLimit = Math.min(count - 1, this.truncationLevel);
    for (let i = 0; i < topLimit; i++) {
      const rowI = order[i]!;
      const labelI = labels[rowI]!;
      for (let j = i + 1; j < count; j++) {
        const rowJ = order[j]!;
        const labelJ = labels[rowJ]!;
        if (labelI === labelJ) continue;
        let high: number, low: number, highRank: number, lowRank: number;
        if (labelI > labelJ) {
          high = rowI;
          low = rowJ;
          highRank = i;
          lowRank = j;
        } else {
          high = rowJ;
          low = rowI;
          highRank = j;
          lowRank = i;
        }
        const deltaScore = scores[high]! - scores[low]!;
        const gainGap = gains[high]! - gains[low]!;
        const discountGap = Math.abs(discounts[highRank]! - discounts[lowRank]!);
        let deltaNdcg = gainGap * discountGap * inverseMaxDcg;
        if (scaleByScoreGap) deltaNdcg /= 0.01 + Math.abs(deltaScore);
        const rho = 1 / (1 + Math.exp(sigmoid * deltaScore));
        const lambda = -sigmoid * deltaNdcg * rho;
        const hessian = sigmoid * sigmoid * deltaNdcg * rho * (1 - rho);
        gradients[low] = gradients[low]! - lambda;
        hessians[low] = hessians[low]! + hessian;
        gradients[high] = gradients[high]! + lambda;
        hessians[high] = hessians[high]! + hessian;
        sumLambdas -= 2 * lambda;
      }
    }
    if (normalize && sumLambdas > 0) {
      const factor = Math.log2(1 + sumLambdas) / sumLambdas;
      for (let i = start; i < start + count; i++) {
        gradients[i] = gradients[i]! * factor;
        hessians[i] = hessians[i]! * factor;
      }
    }
  }
}
