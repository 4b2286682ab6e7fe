// A LightGBM ranking model of one tree with one split, written as the text file the registry imports:
// the smallest valid model, from which tests build the rankers they need (a feature rule, a marker value).
import { writeLightGbmModel } from '../../server/lib/ranker/lightgbm-format.js';

export interface OneSplit {
  featureNames: readonly string[];
  /** The column split on; rows with a value ≤ threshold (or missing) take the left leaf. */
  feature: number;
  threshold: number;
  leafValues: readonly [left: number, right: number];
  leafCovers: readonly [left: number, right: number];
  gain: number;
  /** The cover of the split node. */
  cover: number;
  shrinkage: number;
}

export function oneSplitLightGbmModel(split: OneSplit): string {
  return writeLightGbmModel({
    featureNames: [...split.featureNames],
    objective: 'lambdarank',
    comparison: 'le',
    baseScore: 0,
    trees: [
      {
        splitFeature: Int32Array.of(split.feature),
        threshold: Float64Array.of(split.threshold),
        defaultLeft: Uint8Array.of(1),
        missingType: ['none'],
        leftChild: Int32Array.of(~0),
        rightChild: Int32Array.of(~1),
        splitGain: Float64Array.of(split.gain),
        internalCover: Float64Array.of(split.cover),
        leafValue: Float64Array.of(...split.leafValues),
        leafCover: Float64Array.of(...split.leafCovers),
        shrinkage: split.shrinkage,
      },
    ],
  });
}
