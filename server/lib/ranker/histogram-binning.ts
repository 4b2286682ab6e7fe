// Quantises each feature into at most 255 bins by quantiles so the trainer can build gradient
// histograms over small integers instead of sorting raw values at every split. A bin never splits a
// distinct value, and each bin remembers the largest training value it holds: splitting "bin ≤ b"
// is then exactly "value ≤ upperBound[b]" on the training data, which is the threshold the model
// file stores and the scorer compares with `<=` (LightGBM's convention).

export interface FeatureBinning {
  numFeatures: number;
  /** Bins per feature; a feature with 1 bin is constant in the training data and cannot split. */
  numBins: Int32Array;
  /** Per feature, ascending: the largest training value that falls into each bin. */
  upperBounds: Float64Array[];
  /** Where each feature's bins start in a histogram covering all features. */
  binOffsets: Int32Array;
  totalBins: number;
  /** Smallest and largest training value per feature (LightGBM's `feature_infos`). */
  minValues: Float64Array;
  maxValues: Float64Array;
}

export const MAX_BINS = 255;

/**
 * Chooses bin boundaries for every column of a dense row-major matrix. With at most `maxBins`
 * distinct values each value gets its own bin; otherwise bins are filled greedily to about
 * (rows left / bins left) rows each, so a heavy value (such as the zeros of a sparse feature) gets a
 * bin to itself and the rest are split by quantiles.
 */
export function computeFeatureBinning(
  rows: Float64Array,
  numRows: number,
  numFeatures: number,
  maxBins = MAX_BINS,
): FeatureBinning {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new RangeError(`maxBins must be an integer in 2..${MAX_BINS}, got ${maxBins}`);
  }
  const numBins = new Int32Array(numFeatures);
  const upperBounds: Float64Array[] = [];
  const binOffsets = new Int32Array(numFeatures + 1);
  const minValues = new Float64Array(numFeatures);
  const maxValues = new Float64Array(numFeatures);
  const column = new Float64Array(numRows);
  const distinct = new Float64Array(numRows);
  const counts = new Int32Array(numRows);
  for (let feature = 0; feature < numFeatures; feature++) {
    for (let row = 0; row < numRows; row++) column[row] = rows[row * numFeatures + feature]!;
    column.sort();
    let numDistinct = 0;
    for (let row = 0; row < numRows; row++) {
      const value = column[row]!;
      if (numDistinct > 0 && distinct[numDistinct - 1] === value) {
        counts[numDistinct - 1]!++;
      } else {
        distinct[numDistinct] = value;
        counts[numDistinct] = 1;
        numDistinct++;
      }
    }
    const bounds = chooseUpperBounds(distinct, counts, numDistinct, numRows, maxBins);
    upperBounds.push(bounds);
    numBins[feature] = bounds.length;
    binOffsets[feature + 1] = binOffsets[feature]! + bounds.length;
    minValues[feature] = numRows > 0 ? column[0]! : 0;
    maxValues[feature] = numRows > 0 ? column[numRows - 1]! : 0;
  }
  return {
    numFeatures,
    numBins,
    upperBounds,
    binOffsets,
    totalBins: binOffsets[numFeatures]!,
    minValues,
    maxValues,
  };
}

function chooseUpperBounds(
  distinct: Float64Array,
  counts: Int32Array,
  numDistinct: number,
  numRows: number,
  maxBins: number,
): Float64Array {
  if (numDistinct === 0) return Float64Array.of(0);
  if (numDistinct <= maxBins) return distinct.slice(0, numDistinct);
  const bounds: number[] = [];
  let rowsLeft = numRows;
  let inBin = 0;
  for (let i = 0; i < numDistinct; i++) {
    inBin += counts[i]!;
    const binsLeft = maxBins - bounds.length;
    const isLast = i === numDistinct - 1;
    if (isLast || (binsLeft > 1 && inBin >= rowsLeft / binsLeft)) {
      bounds.push(distinct[i]!);
      rowsLeft -= inBin;
      inBin = 0;
    }
  }
  return Float64Array.from(bounds);
}

/** The bin of `value`: the first bin whose upper bound is ≥ value (values above all go to the last). */
export function valueToBin(upperBounds: Float64Array, value: number): number {
  let low = 0;
  let high = upperBounds.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= upperBounds[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Bins a dense row-major matrix into a row-major byte matrix (`bins[row * numFeatures + feature]`). */
export function binRows(binning: FeatureBinning, rows: Float64Array, numRows: number): Uint8Array {
  const { numFeatures, upperBounds } = binning;
  const bins = new Uint8Array(numRows * numFeatures);
  for (let feature = 0; feature < numFeatures; feature++) {
    const bounds = upperBounds[feature]!;
    if (bounds.length === 1) continue;
    for (let row = 0; row < numRows; row++) {
      const index = row * numFeatures + feature;
      bins[index] = valueToBin(bounds, rows[index]!);
    }
  }
  return bins;
}
