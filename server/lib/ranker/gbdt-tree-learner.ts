// Grows one regression tree on binned data from per-row gradients and hessians, the way LightGBM's
// serial tree learner does: leaf-wise (always split the leaf whose best split gains most), split
// gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), leaf value −G/(H+λ). Each leaf's rows are a
// contiguous range of one index buffer partitioned in place; each leaf's histogram holds
// [Σgradient, Σhessian, count] per bin, and after a split only the smaller child's histogram is
// built from rows: the larger one is the parent's minus it. Like LightGBM, the most frequent bin of
// each feature (the zeros of a sparse feature) is never visited row by row: rows list only their
// other bins, and the frequent bin's totals are the leaf's totals minus the rest.

import type { FeatureBinning } from './histogram-binning.js';

export interface TreeLearnerParams {
  numLeaves: number;
  /** ≤ 0: no limit. */
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  lambdaL2: number;
}

/** A grown tree in bin space, before thresholds become feature values. */
export interface GrownTree {
  numLeaves: number;
  splitFeature: Int32Array;
  splitBin: Int32Array;
  leftChild: Int32Array;
  rightChild: Int32Array;
  splitGain: Float64Array;
  internalCount: Float64Array;
  /** −G/(H+λ), before shrinkage. */
  leafOutput: Float64Array;
  leafCount: Float64Array;
}

const STRIDE = 3;

export class GbdtTreeLearner {
  private readonly numFeatures: number;
  private readonly histograms: Float64Array[];
  /** Which histogram buffer each leaf uses (swapped rather than copied after subtraction). */
  private readonly leafHistogram: Int32Array;
  private readonly order: Int32Array;
  private readonly scratch: Int32Array;
  private readonly leafBegin: Int32Array;
  private readonly leafCount: Int32Array;
  private readonly leafSumGradient: Float64Array;
  private readonly leafSumHessian: Float64Array;
  private readonly leafDepth: Int32Array;
  private readonly leafParent: Int32Array;
  private readonly bestGain: Float64Array;
  private readonly bestFeature: Int32Array;
  private readonly bestBin: Int32Array;
  private readonly bestLeftGradient: Float64Array;
  private readonly bestLeftHessian: Float64Array;
  private activeFeatures = new Int32Array(0);
  /** Per feature, its most frequent bin (filled in from the leaf totals). */
  private readonly defaultBin: Int32Array;
  /** CSR: row r's non-default bins, as global histogram bin indices, are `rowBins[rowStart[r]..rowStart[r+1])`. */
  private readonly rowStart: Int32Array;
  private readonly rowBins: Int32Array;

  constructor(
    private readonly bins: Uint8Array,
    private readonly numRows: number,
    private readonly binning: FeatureBinning,
    private readonly params: TreeLearnerParams,
  ) {
    this.numFeatures = binning.numFeatures;
    const leaves = params.numLeaves;
    this.histograms = Array.from({ length: leaves }, () => new Float64Array(binning.totalBins * STRIDE));
    this.leafHistogram = new Int32Array(leaves);
    this.order = new Int32Array(numRows);
    this.scratch = new Int32Array(numRows);
    this.leafBegin = new Int32Array(leaves);
    this.leafCount = new Int32Array(leaves);
    this.leafSumGradient = new Float64Array(leaves);
    this.leafSumHessian = new Float64Array(leaves);
    this.leafDepth = new Int32Array(leaves);
    this.leafParent = new Int32Array(leaves);
    this.bestGain = new Float64Array(leaves);
    this.bestFeature = new Int32Array(leaves);
    this.bestBin = new Int32Array(leaves);
    this.bestLeftGradient = new Float64Array(leaves);
    this.bestLeftHessian = new Float64Array(leaves);
    const { numFeatures, binOffsets } = binning;
    this.defaultBin = new Int32Array(numFeatures);
    const binCounts = new Int32Array(binning.totalBins);
    for (let row = 0; row < numRows; row++) {
      const base = row * numFeatures;
      for (let f = 0; f < numFeatures; f++) binCounts[binOffsets[f]! + bins[base + f]!]!++;
    }
    for (let f = 0; f < numFeatures; f++) {
      let best = 0;
      for (let bin = 1; bin < binning.numBins[f]!; bin++) {
        if (binCounts[binOffsets[f]! + bin]! > binCounts[binOffsets[f]! + best]!) best = bin;
      }
      this.defaultBin[f] = best;
    }
    this.rowStart = new Int32Array(numRows + 1);
    let entries = 0;
    for (let row = 0; row < numRows; row++) {
      const base = row * numFeatures;
      for (let f = 0; f < numFeatures; f++) {
        if (binning.numBins[f]! > 1 && bins[base + f] !== this.defaultBin[f]) entries++;
      }
      this.rowStart[row + 1] = entries;
    }
    this.rowBins = new Int32Array(entries);
    let at = 0;
    for (let row = 0; row < numRows; row++) {
      const base = row * numFeatures;
      for (let f = 0; f < numFeatures; f++) {
        const bin = bins[base + f]!;
        if (binning.numBins[f]! > 1 && bin !== this.defaultBin[f]) this.rowBins[at++] = binOffsets[f]! + bin;
      }
    }
  }

  /**
   * Grows a tree on the rows listed in `rows[0..rowCount)` using only the features flagged in
   * `featureMask`. Afterwards `forEachLeafRow` tells which rows ended in which leaf.
   */
  grow(
    gradients: Float64Array,
    hessians: Float64Array,
    rows: Int32Array,
    rowCount: number,
    featureMask: Uint8Array,
  ): GrownTree {
    const { params } = this;
    const active: number[] = [];
    for (let f = 0; f < this.numFeatures; f++) if (featureMask[f] && this.binning.numBins[f]! > 1) active.push(f);
    this.activeFeatures = Int32Array.from(active);
    this.order.set(rows.subarray(0, rowCount));

    const maxInternal = Math.max(0, params.numLeaves - 1);
    const tree: GrownTree = {
      numLeaves: 1,
      splitFeature: new Int32Array(maxInternal),
      splitBin: new Int32Array(maxInternal),
      leftChild: new Int32Array(maxInternal),
      rightChild: new Int32Array(maxInternal),
      splitGain: new Float64Array(maxInternal),
      internalCount: new Float64Array(maxInternal),
      leafOutput: new Float64Array(params.numLeaves),
      leafCount: new Float64Array(params.numLeaves),
    };

    let sumGradient = 0;
    let sumHessian = 0;
    for (let i = 0; i < rowCount; i++) {
      const row = this.order[i]!;
      sumGradient += gradients[row]!;
      sumHessian += hessians[row]!;
    }
    this.leafBegin[0] = 0;
    this.leafCount[0] = rowCount;
    this.leafSumGradient[0] = sumGradient;
    this.leafSumHessian[0] = sumHessian;
    this.leafDepth[0] = 0;
    this.leafParent[0] = -1;
    for (let slot = 0; slot < params.numLeaves; slot++) this.leafHistogram[slot] = slot;
    this.bestGain[0] = -Infinity;
    if (params.numLeaves > 1 && this.canSplit(0)) {
      this.buildHistogram(0, gradients, hessians);
      this.findBestSplit(0);
    }

    let numLeaves = 1;
    while (numLeaves < params.numLeaves) {
      let leaf = -1;
      let gain = 0;
      for (let candidate = 0; candidate < numLeaves; candidate++) {
        if (this.bestGain[candidate]! > gain) {
          gain = this.bestGain[candidate]!;
          leaf = candidate;
        }
      }
      if (leaf < 0) break;
      const newLeaf = numLeaves;
      const node = numLeaves - 1;
      this.split(leaf, newLeaf, node, tree);
      numLeaves++;
      if (numLeaves >= params.numLeaves) break;
      this.prepareChildren(leaf, newLeaf, gradients, hessians);
    }

    tree.numLeaves = numLeaves;
    for (let leaf = 0; leaf < numLeaves; leaf++) {
      const denominator = this.leafSumHessian[leaf]! + params.lambdaL2;
      tree.leafOutput[leaf] = denominator > 0 ? -this.leafSumGradient[leaf]! / denominator : 0;
      tree.leafCount[leaf] = this.leafCount[leaf]!;
    }
    return tree;
  }

  /** Calls `visit` with each leaf's row range in `order` as the last `grow` left it. */
  forEachLeafRow(
    numLeaves: number,
    visit: (leaf: number, begin: number, end: number, order: Int32Array) => void,
  ): void {
    for (let leaf = 0; leaf < numLeaves; leaf++) {
      const begin = this.leafBegin[leaf]!;
      visit(leaf, begin, begin + this.leafCount[leaf]!, this.order);
    }
  }

  private canSplit(leaf: number): boolean {
    const { maxDepth, minDataInLeaf } = this.params;
    if (maxDepth > 0 && this.leafDepth[leaf]! >= maxDepth) return false;
    return this.leafCount[leaf]! >= 2 * minDataInLeaf && this.leafCount[leaf]! >= 2;
  }

  private split(leaf: number, newLeaf: number, node: number, tree: GrownTree): void {
    const feature = this.bestFeature[leaf]!;
    const bin = this.bestBin[leaf]!;
    const begin = this.leafBegin[leaf]!;
    const count = this.leafCount[leaf]!;
    const { bins, numFeatures, order, scratch } = this;
    // Stable in-place partition: left rows stay at the front, right rows go through `scratch`.
    let left = begin;
    let right = 0;
    for (let i = begin; i < begin + count; i++) {
      const row = order[i]!;
      if (bins[row * numFeatures + feature]! <= bin) order[left++] = row;
      else scratch[right++] = row;
    }
    order.set(scratch.subarray(0, right), left);
    const leftCount = left - begin;

    tree.splitFeature[node] = feature;
    tree.splitBin[node] = bin;
    tree.splitGain[node] = this.bestGain[leaf]!;
    tree.internalCount[node] = count;
    tree.leftChild[node] = ~leaf;
    tree.rightChild[node] = ~newLeaf;
    const parent = this.leafParent[leaf]!;
    if (parent >= 0) {
      if (tree.leftChild[parent] === ~leaf) tree.leftChild[parent] = node;
      else tree.rightChild[parent] = node;
    }

    const sumGradient = this.leafSumGradient[leaf]!;
    const sumHessian = this.leafSumHessian[leaf]!;
    const depth = this.leafDepth[leaf]! + 1;
    this.leafCount[leaf] = leftCount;
    this.leafSumGradient[leaf] = this.bestLeftGradient[leaf]!;
    this.leafSumHessian[leaf] = this.bestLeftHessian[leaf]!;
    this.leafDepth[leaf] = depth;
    this.leafParent[leaf] = node;
    this.leafBegin[newLeaf] = begin + leftCount;
    this.leafCount[newLeaf] = count - leftCount;
    this.leafSumGradient[newLeaf] = sumGradient - this.bestLeftGradient[leaf]!;
    this.leafSumHessian[newLeaf] = sumHessian - this.bestLeftHessian[leaf]!;
    this.leafDepth[newLeaf] = depth;
    this.leafParent[newLeaf] = node;
    this.bestGain[leaf] = -Infinity;
    this.bestGain[newLeaf] = -Infinity;
  }

  /** Histograms and best splits for the two children of the leaf just split. */
  private prepareChildren(leftLeaf: number, rightLeaf: number, gradients: Float64Array, hessians: Float64Array): void {
    const leftSplittable = this.canSplit(leftLeaf);
    const rightSplittable = this.canSplit(rightLeaf);
    if (!leftSplittable && !rightSplittable) return;
    const smaller = this.leafCount[leftLeaf]! <= this.leafCount[rightLeaf]! ? leftLeaf : rightLeaf;
    const larger = smaller === leftLeaf ? rightLeaf : leftLeaf;
    // The parent's histogram sits in the left leaf's buffer; the right leaf's buffer is free.
    const parentSlot = this.leafHistogram[leftLeaf]!;
    const freeSlot = this.leafHistogram[rightLeaf]!;
    this.leafHistogram[smaller] = freeSlot;
    this.leafHistogram[larger] = parentSlot;
    this.buildHistogram(smaller, gradients, hessians);
    const parent = this.histograms[parentSlot]!;
    const child = this.histograms[freeSlot]!;
    const { binOffsets } = this.binning;
    for (const feature of this.activeFeatures) {
      const end = binOffsets[feature + 1]! * STRIDE;
      for (let i = binOffsets[feature]! * STRIDE; i < end; i++) parent[i] = parent[i]! - child[i]!;
    }
    if (leftSplittable) this.findBestSplit(leftLeaf);
    if (rightSplittable) this.findBestSplit(rightLeaf);
  }

  private buildHistogram(leaf: number, gradients: Float64Array, hessians: Float64Array): void {
    const histogram = this.histograms[this.leafHistogram[leaf]!]!;
    const { order, activeFeatures, rowStart, rowBins, defaultBin } = this;
    const { binOffsets, numBins } = this.binning;
    // Inactive features' bins are accumulated too (cheaper than filtering) and simply never read.
    histogram.fill(0);
    const begin = this.leafBegin[leaf]!;
    const end = begin + this.leafCount[leaf]!;
    for (let i = begin; i < end; i++) {
      const row = order[i]!;
      const gradient = gradients[row]!;
      const hessian = hessians[row]!;
      const last = rowStart[row + 1]!;
      for (let k = rowStart[row]!; k < last; k++) {
        const at = rowBins[k]! * STRIDE;
        histogram[at] = histogram[at]! + gradient;
        histogram[at + 1] = histogram[at + 1]! + hessian;
        histogram[at + 2] = histogram[at + 2]! + 1;
      }
    }
    const sumGradient = this.leafSumGradient[leaf]!;
    const sumHessian = this.leafSumHessian[leaf]!;
    const count = this.leafCount[leaf]!;
    for (const feature of activeFeatures) {
      const first = binOffsets[feature]!;
      const skip = first + defaultBin[feature]!;
      let otherGradient = 0;
      let otherHessian = 0;
      let otherCount = 0;
      for (let bin = first; bin < first + numBins[feature]!; bin++) {
        if (bin === skip) continue;
        otherGradient += histogram[bin * STRIDE]!;
        otherHessian += histogram[bin * STRIDE + 1]!;
        otherCount += histogram[bin * STRIDE + 2]!;
      }
      histogram[skip * STRIDE] = sumGradient - otherGradient;
      histogram[skip * STRIDE + 1] = sumHessian - otherHessian;
      histogram[skip * STRIDE + 2] = count - otherCount;
    }
  }

  private findBestSplit(leaf: number): void {
    const histogram = this.histograms[this.leafHistogram[leaf]!]!;
    const { minDataInLeaf, minSumHessianInLeaf, lambdaL2 } = this.params;
    const { binOffsets, numBins } = this.binning;
    const totalGradient = this.leafSumGradient[leaf]!;
    const totalHessian = this.leafSumHessian[leaf]!;
    const totalCount = this.leafCount[leaf]!;
    const parentScore = (totalGradient * totalGradient) / (totalHessian + lambdaL2 || 1);
    let bestGain = 0;
    let bestFeature = -1;
    let bestBin = -1;
    let bestLeftGradient = 0;
    let bestLeftHessian = 0;
    for (const feature of this.activeFeatures) {
      let leftGradient = 0;
      let leftHessian = 0;
      let leftCount = 0;
      const start = binOffsets[feature]! * STRIDE;
      const lastBin = numBins[feature]! - 1;
      for (let bin = 0; bin < lastBin; bin++) {
        const at = start + bin * STRIDE;
        leftGradient += histogram[at]!;
        leftHessian += histogram[at + 1]!;
        leftCount += histogram[at + 2]!;
        if (leftCount < minDataInLeaf || leftHessian < minSumHessianInLeaf) continue;
        const rightCount = totalCount - leftCount;
        if (rightCount < minDataInLeaf) break;
        const rightHessian = totalHessian - leftHessian;
        if (rightHessian < minSumHessianInLeaf) break;
        const rightGradient = totalGradient - leftGradient;
        const gain =
          (leftGradient * leftGradient) / (leftHessian + lambdaL2) +
          (rightGradient * rightGradient) / (rightHessian + lambdaL2) -
          parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = feature;
          bestBin = bin;
          bestLeftGradient = leftGradient;
          bestLeftHessian = leftHessian;
        }
      }
    }
    this.bestGain[leaf] = bestFeature >= 0 ? bestGain : -Infinity;
    this.bestFeature[leaf] = bestFeature;
    this.bestBin[leaf] = bestBin;
    this.bestLeftGradient[leaf] = bestLeftGradient;
    this.bestLeftHessian[leaf] = bestLeftHessian;
  }
}
