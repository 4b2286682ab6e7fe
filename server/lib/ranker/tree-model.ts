// The in-memory form of a gradient-boosted tree ensemble. The trainer produces it, the LightGBM text
// reader/writer and the XGBoost JSON importer convert to and from it, and the scorer and TreeSHAP read
// it — so a model trained here, one trained by LightGBM and one trained by XGBoost are all served and
// explained by the same code.

/** How a split treats a missing value (LightGBM's `missing_type`; XGBoost models are always 'nan'). */
export type MissingType = 'none' | 'zero' | 'nan';

/**
 * One regression tree, stored as parallel arrays over its internal nodes (struct of arrays keeps
 * scoring allocation-free). Node 0 is the root. A child index `>= 0` is another internal node; a
 * negative child `c` is the leaf `~c` (LightGBM's own convention). A tree with a single leaf has no
 * internal nodes and `leafValue.length === 1`.
 */
export interface Tree {
  splitFeature: Int32Array;
  /** Go left when `value <= threshold` ('le' ensembles) or `value < threshold` ('lt' ensembles). */
  threshold: Float64Array;
  /** Where a missing value goes (see `missingType`). */
  defaultLeft: Uint8Array;
  missingType: MissingType[];
  leftChild: Int32Array;
  rightChild: Int32Array;
  /** Split gain, for feature importance. */
  splitGain: Float64Array;
  /** Training weight (hessian sum, or row count) that reached each internal node: TreeSHAP needs it. */
  internalCover: Float64Array;
  leafValue: Float64Array;
  leafCover: Float64Array;
  /** Learning rate this tree was built with (already folded into `leafValue`; kept for the file format). */
  shrinkage: number;
  /**
   * LightGBM's `internal_value`, `internal_weight` (hessian sums) and `leaf_weight`: not needed to score
   * or explain, kept only so a LightGBM file read and written again keeps them. The writer derives them
   * from the covers and leaf values when absent.
   */
  internalValue?: Float64Array;
  internalWeight?: Float64Array;
  leafWeight?: Float64Array;
}

export interface TreeEnsemble {
  /** One name per feature column; `featureNames.length` is the number of features the model expects. */
  featureNames: string[];
  /** LightGBM's objective line (`lambdarank`, `binary sigmoid:1`, …) or XGBoost's (`rank:ndcg`). */
  objective: string;
  /**
   * 'le' for LightGBM-style splits (`x <= t` goes left, values compared as doubles), 'lt' for
   * XGBoost-style splits (`x < t` goes left, values compared as 32-bit floats as XGBoost does).
   */
  comparison: 'le' | 'lt';
  /** Added once to the sum of the trees' outputs (XGBoost's margin-space base score; 0 for LightGBM). */
  baseScore: number;
  trees: Tree[];
  /** LightGBM `feature_infos` (value ranges), kept so a written model reads like LightGBM's own. */
  featureInfos?: string[];
  /** Training parameters as written in the model file's parameters block. */
  parameters?: Record<string, string>;
}
