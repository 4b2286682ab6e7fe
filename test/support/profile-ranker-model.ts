// A hand-built ranker that scores the `profile` features members must never see exactly: close pairs
// (distance_km ≤ 50) and pairs close in age (age_gap_years ≤ 10) get positive TreeSHAP contributions,
// so an explanation's top features are distance and age gap — what the leak tests need.
// `stump` is shared with the privacy proof tests (a model whose top features sit in one feature group).
import { PAIR_FEATURE_NAMES } from '../../server/features/pair-feature-spec.js';
import { writeLightGbmModel } from '../../server/lib/ranker/lightgbm-format.js';
import type { Tree, TreeEnsemble } from '../../server/lib/ranker/tree-model.js';

export function stump(feature: string, threshold: number, left: number, leftCover: number, rightCover: number): Tree {
  return {
    splitFeature: Int32Array.of(PAIR_FEATURE_NAMES.indexOf(feature)),
    threshold: Float64Array.of(threshold),
    defaultLeft: Uint8Array.of(1),
    missingType: ['none'],
    leftChild: Int32Array.of(~0),
    rightChild: Int32Array.of(~1),
    splitGain: Float64Array.of(1),
    internalCover: Float64Array.of(leftCover + rightCover),
    leafValue: Float64Array.of(left, 0),
    leafCover: Float64Array.of(leftCover, rightCover),
    shrinkage: 1,
  };
}

/** Scores 1 for distance ≤ 50 km plus 0.5 for an age gap ≤ 10 years (both contribute positively when true). */
export function profileRankerModel(): string {
  const ensemble: TreeEnsemble = {
    featureNames: [...PAIR_FEATURE_NAMES],
    objective: 'lambdarank',
    comparison: 'le',
    baseScore: 0,
    trees: [stump('distance_km', 50, 1, 5, 15), stump('age_gap_years', 10, 0.5, 5, 15)],
  };
  return writeLightGbmModel(ensemble);
}
