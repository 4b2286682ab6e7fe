// XGBoost JSON import: the real agaricus model scores exactly as Debian's XGBoost predicts its margins
// (checked by running XGBoost itself when /usr/bin/python3 has it), and unsupported or malformed models
// fail with a ModelFormatError that says what and where.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFilesPresent } from '../../../test/support/shared-files.js';
import { ModelFormatError } from './model-errors.js';
import { compileScorer } from './scorer.js';
import { importXgboostJson } from './xgboost-json.js';

const modelPath = path.resolve(process.cwd(), '..', 'shared', 'data', 'models', 'leaves_xgagaricus.json');
const referenceScript = path.resolve(process.cwd(), 'scripts', 'xgboost_reference.py');
const hasXgboost = spawnSync('/usr/bin/python3', ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;

/** Agaricus-like rows: sparse 0/1 one-hot columns, with some missing values to exercise default_left. */
function agaricusRows(count: number): number[][] {
  let seed = 11;
  const random = (): number => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
  return Array.from({ length: count }, () =>
    Array.from({ length: 127 }, () => {
      const roll = random();
      return roll < 0.1 ? NaN : roll < 0.55 ? 1 : 0;
    }),
  );
}

const TINY_MODEL = {
  learner: {
    attributes: {},
    feature_names: ['a', 'b'],
    feature_types: [],
    gradient_booster: {
      model: {
        gbtree_model_param: { num_trees: '1', size_leaf_vector: '0' },
        tree_info: [0],
        trees: [
          {
            // Node ids deliberately not in preorder: root 0, internal 2, leaves 1, 3, 4.
            left_children: [2, -1, 3, -1, -1],
            right_children: [1, -1, 4, -1, -1],
            split_indices: [0, 0, 1, 0, 0],
            split_conditions: [0.5, 3, 0.25, 1, 2],
            default_left: [0, 0, 1, 0, 0],
            sum_hessian: [10, 4, 6, 3, 3],
            loss_changes: [7, 0, 2, 0, 0],
            base_weights: [0, 3, 0, 1, 2],
            split_type: [0, 0, 0, 0, 0],
            categories: [],
            categories_nodes: [],
            categories_segments: [],
            categories_sizes: [],
            id: 0,
            tree_param: { num_deleted: '0', num_feature: '2', num_nodes: '5', size_leaf_vector: '0' },
          },
        ],
      },
      name: 'gbtree',
    },
    learner_model_param: { base_score: '[5E-1]', num_class: '0', num_feature: '2', num_target: '1' },
    objective: { name: 'rank:pairwise' },
  },
  version: [2, 0, 3],
};

function tinyWith(change: (model: typeof TINY_MODEL & Record<string, unknown>) => void): string {
  const copy = structuredClone(TINY_MODEL);
  change(copy);
  return JSON.stringify(copy);
}

describe('XGBoost JSON import', () => {
  it('maps arbitrary node ids to the tree arrays, keeps names and uses a ranking base score as is', () => {
    const model = importXgboostJson(JSON.stringify(TINY_MODEL));
    expect(model.featureNames).toEqual(['a', 'b']);
    expect(model.comparison).toBe('lt');
    expect(model.baseScore).toBe(0.5);
    const tree = model.trees[0]!;
    expect(Array.from(tree.splitFeature)).toEqual([0, 1]);
    expect(Array.from(tree.internalCover)).toEqual([10, 6]);
    expect(Array.from(tree.leafCover)).toEqual([3, 3, 4]);
    expect(tree.missingType).toEqual(['nan', 'nan']);
    const scorer = compileScorer(model);
    expect(scorer.score([0.9, 0])).toBe(3.5);
    expect(scorer.score([0.1, 0.1])).toBe(1.5);
    expect(scorer.score([0.1, 0.25])).toBe(2.5);
    expect(scorer.score([0.1, NaN])).toBe(1.5);
    expect(scorer.score([NaN, 0.3])).toBe(3.5);
  });

  const rejected: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{"learner":', /not valid JSON/],
    [
      'a multi-class model',
      tinyWith((m) => (m.learner.learner_model_param.num_class = '3')),
      /num_class=3: multi-class/,
    ],
    [
      'a multi-class objective',
      tinyWith((m) => (m.learner.objective.name = 'multi:softprob')),
      /multi-class models are not supported/,
    ],
    [
      'a dart model with weights',
      tinyWith((m) => {
        const gbtree = m.learner.gradient_booster;
        (m.learner as Record<string, unknown>).gradient_booster = { name: 'dart', gbtree, weight_drop: [0.5] };
      }),
      /dart model with dropped-tree weights/,
    ],
    [
      'gblinear',
      tinyWith((m) => (m.learner.gradient_booster.name = 'gblinear')),
      /gradient_booster "gblinear" is not supported/,
    ],
    [
      'categorical splits',
      tinyWith((m) => (m.learner.gradient_booster.model.trees[0]!.split_type = [1, 0, 0, 0, 0])),
      /trees\[0\]: has categorical splits/,
    ],
    [
      'a child out of range',
      tinyWith((m) => (m.learner.gradient_booster.model.trees[0]!.right_children[2] = 9)),
      /trees\[0\]: node 2 has child 9/,
    ],
    [
      'a split on an unknown feature',
      tinyWith((m) => (m.learner.gradient_booster.model.trees[0]!.split_indices[2] = 5)),
      /trees\[0\]: node 2 splits on feature 5/,
    ],
    [
      'arrays of different lengths',
      tinyWith((m) => m.learner.gradient_booster.model.trees[0]!.sum_hessian.pop()),
      /trees\[0\]\.sum_hessian: has 4 entries but the tree has 5 nodes/,
    ],
    [
      'a non-numeric split condition',
      tinyWith((m) => ((m.learner.gradient_booster.model.trees[0]!.split_conditions as unknown[])[0] = 'x')),
      /split_conditions\[0\]: expected a finite number/,
    ],
    [
      'feature names that disagree with num_feature',
      tinyWith((m) => (m.learner.feature_names = ['a'])),
      /feature_names has 1 entries but num_feature is 2/,
    ],
    [
      'an unknown objective',
      tinyWith((m) => (m.learner.objective.name = 'custom:thing')),
      /objective custom:thing is not supported/,
    ],
    ['a missing learner', '{"version":[1,4,1]}', /\$\.learner: missing/],
  ];
  for (const [what, text, message] of rejected) {
    it(`rejects ${what}`, () => {
      expect(() => importXgboostJson(text)).toThrow(ModelFormatError);
      expect(() => importXgboostJson(text)).toThrow(message);
    });
  }

  it('accepts dart when no tree is re-weighted', () => {
    const text = tinyWith((m) => {
      const gbtree = m.learner.gradient_booster;
      (m.learner as Record<string, unknown>).gradient_booster = { name: 'dart', gbtree, weight_drop: [1] };
    });
    expect(compileScorer(importXgboostJson(text)).score([0.9, 0])).toBe(3.5);
  });
});

describe.skipIf(!sharedFilesPresent([modelPath]))('XGBoost agaricus model (needs ../shared/data)', () => {
  it('imports the 1.x JSON layout (version array, boolean default_left, unnamed features)', () => {
    const model = importXgboostJson(readFileSync(modelPath, 'utf8'));
    expect(model.featureNames).toHaveLength(127);
    expect(model.featureNames[29]).toBe('f29');
    expect(model.trees).toHaveLength(3);
    expect(model.objective).toBe('binary:logistic');
    // base_score 0.5 is a probability: its margin is logit(0.5) = 0.
    expect(model.baseScore).toBe(0);
  });

  it.skipIf(!hasXgboost)(
    'predicts the same margins as XGBoost (skipped when /usr/bin/python3 cannot import xgboost)',
    () => {
      const rows = agaricusRows(80);
      const result = spawnSync('/usr/bin/python3', [referenceScript, modelPath, '-'], {
        input: JSON.stringify(rows),
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const reference = JSON.parse(result.stdout) as { predictions: number[] };
      const scorer = compileScorer(importXgboostJson(readFileSync(modelPath, 'utf8')));
      const distinct = new Set<number>();
      rows.forEach((row, r) => {
        const score = scorer.score(row);
        distinct.add(Math.round(score * 1e4));
        expect(Math.abs(score - reference.predictions[r]!)).toBeLessThanOrEqual(1e-5);
      });
      // The rows must reach many different leaves for the comparison to mean something.
      expect(distinct.size).toBeGreaterThan(5);
    },
  );
});
