// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution
// for tree ensembles", Algorithm 2): per-feature contributions that sum to the score minus the expected
// value, in O(leaves · depth²) per tree. Branches are weighed by the training cover of each node (row counts
// for LightGBM models, hessian sums for XGBoost ones, as each library's own SHAP does), and the row follows
// the same branch the scorer takes (`splitGoesLeft`), missing values included.
import { FeatureRowError, ModelFormatError } from './model-errors.js';
import { compileScorer, splitFlags, splitGoesLeft } from './scorer.js';
import type { TreeEnsemble } from './tree-model.js';

export interface ShapValues {
  /** Sum over trees of the cover-weighted mean leaf value, plus the model's base score. */
  expectedValue: number;
  /** One value per feature; `sum(contributions) + expectedValue` equals the model's score. */
  contributions: Float64Array;
}

/** One tree in a single node numbering: internal nodes 0..n-1, then leaves n..n+L-1. */
interface ShapTree {
  numInternal: number;
  feature: Int32Array;
  threshold: Float64Array;
  flags: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  cover: Float64Array;
  leafValue: Float64Array;
}

function prepareTree(model: TreeEnsemble, t: number): { shapTree: ShapTree; depth: number; expected: number } {
  const tree = model.trees[t]!;
  const n = tree.splitFeature.length;
  const unify = (child: number): number => (child >= 0 ? child : n + ~child);
  const cover = new Float64Array(n + tree.leafValue.length);
  cover.set(tree.internalCover, 0);
  cover.set(tree.leafCover, n);
  const shapTree: ShapTree = {
    numInternal: n,
    feature: tree.splitFeature,
    threshold: tree.threshold,
    flags: Uint8Array.from({ length: n }, (_, i) => splitFlags(tree, i, model.comparison)),
    left: Int32Array.from(tree.leftChild, unify),
    right: Int32Array.from(tree.rightChild, unify),
    cover,
    leafValue: tree.leafValue,
  };
  if (n === 0) return { shapTree, depth: 0, expected: tree.leafValue[0]! };
  for (let i = 0; i < cover.length; i++) {
    if (!(cover[i]! > 0) || !Number.isFinite(cover[i]!)) {
      const what = i < n ? `internal node ${i}` : `leaf ${i - n}`;
      throw new ModelFormatError(`tree ${t}: ${what} has cover ${cover[i]}; TreeSHAP needs positive covers`);
    }
  }
  // The expected value uses the same child/parent cover ratios as the recursion, so the contributions sum
  // exactly to score − expected even when a file's covers are not perfectly additive (float hessian sums).
  const walk = (node: number, depth: number): [number, number] => {
    if (node >= n) return [shapTree.leafValue[node - n]!, depth];
    const l = shapTree.left[node]!;
    const r = shapTree.right[node]!;
    const [leftMean, leftDepth] = walk(l, depth + 1);
    const [rightMean, rightDepth] = walk(r, depth + 1);
    const c = cover[node]!;
    return [(cover[l]! / c) * leftMean + (cover[r]! / c) * rightMean, Math.max(leftDepth, rightDepth)];
  };
  const [expected, depth] = walk(0, 0);
  return { shapTree, depth, expected };
}

export interface TreeShapExplainer {
  explain(row: ArrayLike<number>): ShapValues;
}

/** Precomputes per-tree arrays and the expected value once; `explain` allocates only its result. */
export function createTreeShapExplainer(model: TreeEnsemble): TreeShapExplainer {
  // Compiling a scorer validates every tree's structure and split features.
  compileScorer(model);
  const numFeatures = model.featureNames.length;
  const lt = model.comparison === 'lt';
  const trees: ShapTree[] = [];
  let expectedValue = model.baseScore;
  let maxDepth = 0;
  model.trees.forEach((_, t) => {
    const { shapTree, depth, expected } = prepareTree(model, t);
    expectedValue += expected;
    maxDepth = Math.max(maxDepth, depth);
    if (shapTree.numInternal > 0) trees.push(shapTree);
  });

  // The unique path of every recursion level lives in its own segment of these buffers (as in SHAP's
  // tree_shap): a child's segment starts right after its parent's, so backtracking needs no copying back.
  const capacity = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 2;
  const pathFeature = new Int32Array(capacity);
  const pathZero = new Float64Array(capacity);
  const pathOne = new Float64Array(capacity);
  const pathWeight = new Float64Array(capacity);

  const extendPath = (
    offset: number,
    depth: number,
    zeroFraction: number,
    oneFraction: number,
    feature: number,
  ): void => {
    pathFeature[offset + depth] = feature;
    pathZero[offset + depth] = zeroFraction;
    pathOne[offset + depth] = oneFraction;
    pathWeight[offset + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i--) {
      pathWeight[offset + i + 1]! += (oneFraction * pathWeight[offset + i]! * (i + 1)) / (depth + 1);
      pathWeight[offset + i] = (zeroFraction * pathWeight[offset + i]! * (depth - i)) / (depth + 1);
    }
  };

  const unwindPath = (offset: number, depth: number, pathIndex: number): void => {
    const oneFraction = pathOne[offset + pathIndex]!;
    const zeroFraction = pathZero[offset + pathIndex]!;
    let nextOnePortion = pathWeight[offset + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const previous = pathWeight[offset + i]!;
        pathWeight[offset + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
        nextOnePortion = previous - (pathWeight[offset + i]! * zeroFraction * (depth - i)) / (depth + 1);
      } else {
        pathWeight[offset + i] = (pathWeight[offset + i]! * (depth + 1)) / (zeroFraction * (depth - i));
      }
    }
    for (let i = pathIndex; i < depth; i++) {
      pathFeature[offset + i] = pathFeature[offset + i + 1]!;
      pathZero[offset + i] = pathZero[offset + i + 1]!;
      pathOne[offset + i] = pathOne[offset + i + 1]!;
    }
  };

  /** Total weight of the path with element `pathIndex` removed, without changing the path. */
  const unwoundPathSum = (offset: number, depth: number, pathIndex: number): number => {
    const oneFraction = pathOne[offset + pathIndex]!;
    const zeroFraction = pathZero[offset + pathIndex]!;
    let nextOnePortion = pathWeight[offset + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const share = (nextOnePortion * (depth + 1)) / ((i + 1) * oneFraction);
        total += share;
        nextOnePortion = pathWeight[offset + i]! - share * zeroFraction * ((depth - i) / (depth + 1));
      } else {
        total += pathWeight[offset + i]! / zeroFraction / ((depth - i) / (depth + 1));
      }
    }
    return total;
  };

  const recurse = (
    tree: ShapTree,
    row: ArrayLike<number>,
    phi: Float64Array,
    node: number,
    parentOffset: number,
    depthIn: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void => {
    let depth = depthIn;
    const offset = parentOffset + depth + 1;
    for (let i = 0; i <= depth; i++) {
      pathFeature[offset + i] = pathFeature[parentOffset + i]!;
      pathZero[offset + i] = pathZero[parentOffset + i]!;
      pathOne[offset + i] = pathOne[parentOffset + i]!;
      pathWeight[offset + i] = pathWeight[parentOffset + i]!;
    }
    extendPath(offset, depth, parentZero, parentOne, parentFeature);

    if (node >= tree.numInternal) {
      const value = tree.leafValue[node - tree.numInternal]!;
      for (let i = 1; i <= depth; i++) {
        const weight = unwoundPathSum(offset, depth, i);
        phi[pathFeature[offset + i]!]! += weight * (pathOne[offset + i]! - pathZero[offset + i]!) * value;
      }
      return;
    }

    const feature = tree.feature[node]!;
    const goesLeft = splitGoesLeft(row[feature]!, tree.threshold[node]!, tree.flags[node]!, lt);
    const hot = goesLeft ? tree.left[node]! : tree.right[node]!;
    const cold = goesLeft ? tree.right[node]! : tree.left[node]!;
    const nodeCover = tree.cover[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    // A feature already on the path is taken off and put back with the combined fractions.
    let pathIndex = 0;
    while (pathIndex <= depth && pathFeature[offset + pathIndex] !== feature) pathIndex++;
    if (pathIndex <= depth) {
      incomingZero = pathZero[offset + pathIndex]!;
      incomingOne = pathOne[offset + pathIndex]!;
      unwindPath(offset, depth, pathIndex);
      depth -= 1;
    }
    recurse(
      tree,
      row,
      phi,
      hot,
      offset,
      depth + 1,
      (tree.cover[hot]! / nodeCover) * incomingZero,
      incomingOne,
      feature,
    );
    recurse(tree, row, phi, cold, offset, depth + 1, (tree.cover[cold]! / nodeCover) * incomingZero, 0, feature);
  };

  return {
    explain(row: ArrayLike<number>): ShapValues {
      if (row.length !== numFeatures) {
        throw new FeatureRowError(`row has ${row.length} features but the model expects ${numFeatures}`);
      }
      const contributions = new Float64Array(numFeatures);
      for (const tree of trees) recurse(tree, row, contributions, 0, 0, 0, 1, 1, -1);
      return { expectedValue, contributions };
    },
  };
}

/** One-off explanation; build an explainer with `createTreeShapExplainer` to explain many rows. */
export function treeShap(model: TreeEnsemble, row: ArrayLike<number>): ShapValues {
  return createTreeShapExplainer(model).explain(row);
}
