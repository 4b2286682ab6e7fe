// Feature importance by split count and by total gain, most important first, every feature listed.
import { describe, expect, it } from 'vitest';
import { featureImportance } from './feature-importance.js';
import type { Tree, TreeEnsemble } from './tree-model.js';

function tree(splitFeature: number[], splitGain: number[]): Tree {
  // A right-leaning chain: node i sends left to leaf i and right to node i + 1 (the last to the last leaf).
  const n = splitFeature.length;
  return {
    splitFeature: Int32Array.from(splitFeature),
    threshold: new Float64Array(n),
    defaultLeft: new Uint8Array(n),
    missingType: new Array<'none'>(n).fill('none'),
    leftChild: Int32Array.from({ length: n }, (_, i) => ~i),
    rightChild: Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : ~n)),
    splitGain: Float64Array.from(splitGain),
    internalCover: new Float64Array(n).fill(1),
    leafValue: new Float64Array(n + 1),
    leafCover: new Float64Array(n + 1).fill(1),
    shrinkage: 1,
  };
}

const model: TreeEnsemble = {
  featureNames: ['age', 'distance', 'cosine', 'unused'],
  objective: 'lambdarank',
  comparison: 'le',
  baseScore: 0,
  trees: [tree([2, 0, 2], [10, 1, 2.5]), tree([1, 2], [40, 0.5])],
};

describe('featureImportance', () => {
  it('counts splits per feature', () => {
    expect(featureImportance(model, 'split')).toEqual([
      { feature: 'cosine', importance: 3 },
      { feature: 'age', importance: 1 },
      { feature: 'distance', importance: 1 },
      { feature: 'unused', importance: 0 },
    ]);
  });

  it('sums split gains per feature', () => {
    expect(featureImportance(model, 'gain')).toEqual([
      { feature: 'distance', importance: 40 },
      { feature: 'cosine', importance: 13 },
      { feature: 'age', importance: 1 },
      { feature: 'unused', importance: 0 },
    ]);
  });
});
