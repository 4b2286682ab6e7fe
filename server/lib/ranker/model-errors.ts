// Errors raised by the model readers, the scorer and TreeSHAP, plus the structural check every reader and
// the scorer share: a malformed tree must fail loudly at load time, never loop or read out of bounds later.
import type { Tree } from './tree-model.js';

/** A model file (LightGBM text, XGBoost JSON) or an in-memory tree is malformed; the message says where. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** A feature row does not fit the model (wrong length, NaN/Infinity where not allowed); names row and feature. */
export class FeatureRowError extends Error {
  override name = 'FeatureRowError';
}

/**
 * Checks that a tree's arrays agree in length and that its child links form one tree rooted at node 0 that
 * reaches every internal node and every leaf exactly once. `where` prefixes messages (e.g. "tree 3").
 */
export function assertValidTree(tree: Tree, where: string): void {
  const numInternal = tree.splitFeature.length;
  const internalArrays: Array<[string, { length: number }]> = [
    ['threshold', tree.threshold],
    ['defaultLeft', tree.defaultLeft],
    ['missingType', tree.missingType],
    ['leftChild', tree.leftChild],
    ['rightChild', tree.rightChild],
    ['splitGain', tree.splitGain],
    ['internalCover', tree.internalCover],
  ];
  for (const [name, array] of internalArrays) {
    if (array.length !== numInternal) {
      throw new ModelFormatError(
        `${where}: ${name} has ${array.length} entries but the tree has ${numInternal} internal nodes`,
      );
    }
  }
  const numLeaves = numInternal + 1;
  if (tree.leafValue.length !== numLeaves || tree.leafCover.length !== numLeaves) {
    throw new ModelFormatError(
      `${where}: leafValue/leafCover have ${tree.leafValue.length}/${tree.leafCover.length} entries but ` +
        `${numInternal} internal nodes need ${numLeaves} leaves`,
    );
  }
  if (numInternal === 0) return;
  const seenInternal = new Uint8Array(numInternal);
  const seenLeaf = new Uint8Array(numLeaves);
  const stack = [0];
  seenInternal[0] = 1;
  let visitedInternal = 1;
  let visitedLeaves = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of [tree.leftChild[node]!, tree.rightChild[node]!]) {
      if (child >= 0) {
        if (child >= numInternal) {
          throw new ModelFormatError(
            `${where}: node ${node} has child ${child}, but there are ${numInternal} internal nodes`,
          );
        }
        if (seenInternal[child]) throw new ModelFormatError(`${where}: node ${child} is reached twice (not a tree)`);
        seenInternal[child] = 1;
        visitedInternal++;
        stack.push(child);
      } else {
        const leaf = ~child;
        if (leaf >= numLeaves) {
          throw new ModelFormatError(
            `${where}: node ${node} points to leaf ${leaf}, but there are ${numLeaves} leaves`,
          );
        }
        if (seenLeaf[leaf]) throw new ModelFormatError(`${where}: leaf ${leaf} is reached twice (not a tree)`);
        seenLeaf[leaf] = 1;
        visitedLeaves++;
      }
    }
  }
  if (visitedInternal !== numInternal || visitedLeaves !== numLeaves) {
    throw new ModelFormatError(
      `${where}: only ${visitedInternal} of ${numInternal} internal nodes and ${visitedLeaves} of ${numLeaves} ` +
        'leaves are reachable from the root',
    );
  }
}
