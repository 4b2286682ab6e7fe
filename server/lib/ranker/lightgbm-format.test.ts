// LightGBM text format: the real breast-cancer model reads, writes and reads back unchanged in meaning; the
// written file has the layout LightGBM's loader relies on (tree_sizes, trailer); malformed files fail with
// messages that say where.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFilesPresent } from '../../../test/support/shared-files.js';
import { parseLightGbmModel, writeLightGbmModel } from './lightgbm-format.js';
import { ModelFormatError } from './model-errors.js';
import { compileScorer } from './scorer.js';
import type { Tree, TreeEnsemble } from './tree-model.js';

const modelPath = path.resolve(process.cwd(), '..', 'shared', 'data', 'models', 'leaves_lg_breast_cancer.txt');
const modelPresent = sharedFilesPresent([modelPath]);

const TREE_ARRAYS = [
  'splitFeature',
  'threshold',
  'defaultLeft',
  'leftChild',
  'rightChild',
  'splitGain',
  'internalCover',
  'leafValue',
  'leafCover',
  'internalValue',
  'internalWeight',
  'leafWeight',
] as const;

const SMALL_MODEL = `tree
version=v3
num_class=1
num_tree_per_iteration=1
label_index=0
max_feature_idx=1
objective=lambdarank
feature_names=a b
feature_infos=[0:1] none
tree_sizes=1 1

Tree=0
num_leaves=3
num_cat=0
split_feature=0 1
split_gain=5 2
threshold=0.5 1.5
decision_type=2 8
left_child=-1 -2
right_child=1 -3
leaf_value=0.1 0.2 0.3
leaf_weight=1 2 3
leaf_count=10 20 30
internal_value=0 0.26
internal_weight=6 5
internal_count=60 50
shrinkage=0.1


Tree=1
num_leaves=1
num_cat=0
split_feature=
split_gain=
threshold=
decision_type=
left_child=
right_child=
leaf_value=-0.05
leaf_weight=0
leaf_count=0
internal_value=
internal_weight=
internal_count=
is_linear=0
shrinkage=1


end of trees

feature_importances:
a=1
b=1

parameters:
[boosting: gbdt]
[objective: lambdarank]
[data: ]

end of parameters

pandas_categorical:null
`;

function expectSameEnsemble(actual: TreeEnsemble, expected: TreeEnsemble): void {
  expect(actual.featureNames).toEqual(expected.featureNames);
  expect(actual.objective).toBe(expected.objective);
  expect(actual.featureInfos).toEqual(expected.featureInfos);
  expect(actual.parameters).toEqual(expected.parameters);
  expect(actual.trees).toHaveLength(expected.trees.length);
  actual.trees.forEach((tree, t) => {
    const other = expected.trees[t]!;
    for (const key of TREE_ARRAYS) expect(tree[key], `tree ${t} ${key}`).toEqual(other[key]);
    expect(tree.missingType).toEqual(other.missingType);
    expect(tree.shrinkage).toBe(other.shrinkage);
  });
}

describe('LightGBM text format', () => {
  it('reads a small model with a single-leaf tree, missing types and parameters', () => {
    const model = parseLightGbmModel(SMALL_MODEL);
    expect(model.featureNames).toEqual(['a', 'b']);
    expect(model.comparison).toBe('le');
    expect(model.parameters).toEqual({ boosting: 'gbdt', objective: 'lambdarank', data: '' });
    const [first, single] = model.trees;
    expect(Array.from(first!.defaultLeft)).toEqual([1, 0]);
    expect(first!.missingType).toEqual(['none', 'nan']);
    expect(Array.from(first!.internalCover)).toEqual([60, 50]);
    expect(first!.shrinkage).toBe(0.1);
    expect(single!.splitFeature).toHaveLength(0);
    expect(Array.from(single!.leafValue)).toEqual([-0.05]);
    const scorer = compileScorer(model);
    expect(scorer.score([0.2, 0])).toBeCloseTo(0.1 - 0.05, 15);
    expect(scorer.score([0.7, NaN])).toBeCloseTo(0.3 - 0.05, 15);
    expect(scorer.score([0.7, 1])).toBeCloseTo(0.2 - 0.05, 15);
  });

  it('writes tree_sizes that are the byte lengths of the written tree blocks, and the trailer LightGBM expects', () => {
    const written = writeLightGbmModel(parseLightGbmModel(SMALL_MODEL));
    const sizes = /^tree_sizes=(.*)$/m.exec(written)![1]!.split(' ').map(Number);
    const start0 = written.indexOf('Tree=0\n');
    const start1 = written.indexOf('Tree=1\n');
    const end = written.indexOf('end of trees\n');
    expect(sizes).toEqual([
      Buffer.byteLength(written.slice(start0, start1)),
      Buffer.byteLength(written.slice(start1, end)),
    ]);
    expect(written.startsWith('tree\nversion=v4\nnum_class=1\n')).toBe(true);
    expect(written).toContain('\nend of trees\n\nfeature_importances:\na=1\nb=1\n\nparameters:\n[boosting: gbdt]\n');
    expect(written.endsWith('[data: ]\n\nend of parameters\n\npandas_categorical:null\n')).toBe(true);
    expect(written).toContain('decision_type=2 8\n');
    expectSameEnsemble(parseLightGbmModel(written), parseLightGbmModel(SMALL_MODEL));
  });

  it('fills internal values from the leaves when a model (e.g. from the trainer) has none', () => {
    const model = parseLightGbmModel(SMALL_MODEL);
    const tree: Tree = { ...model.trees[0]! };
    delete tree.internalValue;
    delete tree.internalWeight;
    delete tree.leafWeight;
    const written = writeLightGbmModel({ ...model, trees: [tree], parameters: undefined, featureInfos: undefined });
    // Node 1 holds leaves 1 and 2 (covers 20, 30); the root adds leaf 0 (cover 10).
    const node1 = (0.2 * 20 + 0.3 * 30) / 50;
    const root = (0.1 * 10 + node1 * 50) / 60;
    expect(written).toContain(`internal_value=${root} ${node1}\n`);
    expect(written).toContain('feature_infos=none none\n');
    expect(written).toContain('leaf_weight=10 20 30\n');
    expect(parseLightGbmModel(written).trees[0]!.internalValue).toEqual(Float64Array.of(root, node1));
  });

  it('refuses to write XGBoost-style models or feature names LightGBM cannot read', () => {
    const model = parseLightGbmModel(SMALL_MODEL);
    expect(() => writeLightGbmModel({ ...model, comparison: 'lt' })).toThrow(ModelFormatError);
    expect(() => writeLightGbmModel({ ...model, baseScore: 0.5 })).toThrow(/baseScore=0.5/);
    expect(() => writeLightGbmModel({ ...model, featureNames: ['a', 'b c'] })).toThrow(/feature 1: name "b c"/);
  });

  const malformed: Array<[string, (text: string) => string, RegExp]> = [
    ['a missing key', (t) => t.replace('left_child=-1 -2\n', ''), /tree 0: missing left_child/],
    [
      'an array of the wrong length',
      (t) => t.replace('threshold=0.5 1.5', 'threshold=0.5'),
      /tree 0 threshold: expected 2 values, found 1/,
    ],
    [
      'a child index out of range',
      (t) => t.replace('right_child=1 -3', 'right_child=1 -7'),
      /tree 0: node 1 points to leaf 6, but there are 3 leaves/,
    ],
    [
      'a node reached twice',
      (t) => t.replace('left_child=-1 -2', 'left_child=-1 -1'),
      /tree 0: leaf 0 is reached twice/,
    ],
    [
      'a non-numeric number',
      (t) => t.replace('leaf_value=0.1 0.2 0.3', 'leaf_value=0.1 abc 0.3'),
      /tree 0 leaf_value\[1\]: "abc" is not a number/,
    ],
    [
      'a truncated file',
      (t) => t.slice(0, t.indexOf('internal_value=\ninternal_weight')),
      /without "end of trees" \(truncated\?\)/,
    ],
    [
      'a split on an unknown feature',
      (t) => t.replace('split_feature=0 1', 'split_feature=0 2'),
      /tree 0: node 1 splits on feature 2, but max_feature_idx is 1/,
    ],
    [
      'categorical splits',
      (t) => t.replace('num_leaves=3\nnum_cat=0', 'num_leaves=3\nnum_cat=1'),
      /tree 0: has 1 categorical splits/,
    ],
    ['a linear tree', (t) => t.replace('is_linear=0', 'is_linear=1'), /tree 1: is a linear tree/],
    ['several classes', (t) => t.replace('num_class=1', 'num_class=3'), /num_class=3; only single-output models/],
    [
      'a tree count that disagrees with tree_sizes',
      (t) => t.replace('tree_sizes=1 1', 'tree_sizes=1 1 1'),
      /tree_sizes lists 3 trees but the file holds 2/,
    ],
    [
      'too few feature names',
      (t) => t.replace('feature_names=a b', 'feature_names=a'),
      /feature_names has 1 names but max_feature_idx=1/,
    ],
    ['not a tree model', (t) => t.replace('tree\n', 'forest\n'), /line 1: expected "tree"/],
    [
      'an unterminated parameters block',
      (t) => t.replace('end of parameters\n\npandas_categorical:null\n', ''),
      /no "end of parameters"/,
    ],
  ];
  for (const [what, corrupt, message] of malformed) {
    it(`rejects ${what} with a ModelFormatError saying where`, () => {
      const text = corrupt(SMALL_MODEL);
      expect(text).not.toBe(SMALL_MODEL);
      expect(() => parseLightGbmModel(text)).toThrow(ModelFormatError);
      expect(() => parseLightGbmModel(text)).toThrow(message);
    });
  }
});

describe.skipIf(!modelPresent)('LightGBM breast-cancer model round trip (needs ../shared/data)', () => {
  it('parses, writes and parses back with every array equal and identical scores', () => {
    const original = parseLightGbmModel(readFileSync(modelPath, 'utf8'));
    expect(original.trees).toHaveLength(39);
    expect(original.featureNames).toHaveLength(30);
    expect(original.objective).toBe('binary sigmoid:1');
    expect(original.parameters?.num_leaves).toBe('31');
    const written = writeLightGbmModel(original);
    const reread = parseLightGbmModel(written);
    expectSameEnsemble(reread, original);
    expect(writeLightGbmModel(reread)).toBe(written);

    const a = compileScorer(original);
    const b = compileScorer(reread);
    let seed = 3;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let r = 0; r < 300; r++) {
      const row = Array.from({ length: 30 }, (_, f) => (random() < 0.05 ? NaN : random() * (f < 4 ? 1000 : 1)));
      expect(b.score(row)).toBe(a.score(row));
    }
  });
});
