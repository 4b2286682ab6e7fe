// Binning keeps distinct values whole, caps the bin count, and gives thresholds that are real
// training values, so "bin ≤ b" and "value ≤ upperBound[b]" agree on every training row.
import { describe, expect, it } from 'vitest';
import { binRows, computeFeatureBinning, valueToBin } from './histogram-binning.js';

describe('computeFeatureBinning', () => {
  it('gives each distinct value its own bin when there are few, and marks constant features', () => {
    // Two features, four rows: feature 0 takes 3, 1, 3, 2; feature 1 is constant.
    const rows = Float64Array.from([3, 7, 1, 7, 3, 7, 2, 7]);
    const binning = computeFeatureBinning(rows, 4, 2);
    expect(Array.from(binning.upperBounds[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(binning.numBins)).toEqual([3, 1]);
    expect(Array.from(binning.binOffsets)).toEqual([0, 3, 4]);
    expect(binning.minValues[0]).toBe(1);
    expect(binning.maxValues[0]).toBe(3);
    expect(Array.from(binRows(binning, rows, 4))).toEqual([2, 0, 0, 0, 2, 0, 1, 0]);
  });

  it('splits many distinct values into at most maxBins quantile bins without splitting a value', () => {
    const numRows = 1000;
    const rows = new Float64Array(numRows);
    // 600 zeros (a sparse feature) and 400 distinct positive values.
    for (let row = 600; row < numRows; row++) rows[row] = row / 1000;
    const binning = computeFeatureBinning(rows, numRows, 1, 16);
    const bounds = binning.upperBounds[0]!;
    expect(bounds.length).toBeLessThanOrEqual(16);
    expect(bounds.length).toBeGreaterThan(10);
    expect(bounds[0]).toBe(0);
    expect(bounds[bounds.length - 1]).toBe(0.999);
    const bins = binRows(binning, rows, numRows);
    const counts = new Array<number>(bounds.length).fill(0);
    for (let row = 0; row < numRows; row++) {
      const bin = bins[row]!;
      counts[bin]!++;
      // The split invariant: the bin index orders values exactly as the thresholds do.
      expect(rows[row]! <= bounds[bin]!).toBe(true);
      if (bin > 0) expect(rows[row]! > bounds[bin - 1]!).toBe(true);
    }
    expect(counts[0]).toBe(600);
    for (let bin = 1; bin < bounds.length; bin++) expect(counts[bin]).toBeLessThanOrEqual(40);
  });

  it('rejects a bin count outside 2..255', () => {
    expect(() => computeFeatureBinning(new Float64Array(1), 1, 1, 300)).toThrow(/maxBins/);
  });
});

describe('valueToBin', () => {
  it('finds the first bin whose upper bound is ≥ the value, clamping above the last', () => {
    const bounds = Float64Array.from([0, 0.5, 1]);
    expect([-1, 0, 0.2, 0.5, 0.7, 1, 9].map((value) => valueToBin(bounds, value))).toEqual([0, 0, 1, 1, 2, 2, 2]);
  });
});
