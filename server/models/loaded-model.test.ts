// The parsed-model helpers: both artifact formats parse into a ready scorer and explainer, malformed files
// fail with ModelFormatError naming where, feature columns are compared with the pair-feature spec, and the
// parsed-model cache stays bounded, evicting the least recently used model.
import { describe, expect, it } from 'vitest';
import { PAIR_FEATURE_NAMES } from '../features/pair-feature-spec.js';
import { ModelFormatError } from '../lib/ranker/model-errors.js';
import { oneSplitLightGbmModel } from '../../test/support/one-split-model.js';
import { ParsedModelCache, featureMismatch, prepareModel, type ParsedModel } from './loaded-model.js';

function oneSplitModel(featureNames: readonly string[]): string {
  return oneSplitLightGbmModel({
    featureNames,
    feature: 1,
    threshold: 0.5,
    leafValues: [-0.5, 0.75],
    leafCovers: [4, 6],
    gain: 2,
    cover: 10,
    shrinkage: 0.1,
  });
}

const XGBOOST_STUMP = JSON.stringify({
  learner: {
    attributes: {},
    feature_names: ['a', 'b'],
    feature_types: ['float', 'float'],
    gradient_booster: {
      model: {
        gbtree_model_param: { num_parallel_tree: '1', num_trees: '1' },
        iteration_indptr: [0, 1],
        tree_info: [0],
        trees: [
          {
            base_weights: [0, -0.4, 0.6],
            categories: [],
            categories_nodes: [],
            categories_segments: [],
            categories_sizes: [],
            default_left: [1, 0, 0],
            id: 0,
            left_children: [1, -1, -1],
            loss_changes: [5, 0, 0],
            parents: [2147483647, 0, 0],
            right_children: [2, -1, -1],
            split_conditions: [0.5, -0.4, 0.6],
            split_indices: [0, 0, 0],
            split_type: [0, 0, 0],
            sum_hessian: [10, 4, 6],
            tree_param: { num_deleted: '0', num_feature: '2', num_nodes: '3', size_leaf_vector: '1' },
          },
        ],
      },
      name: 'gbtree',
    },
    learner_model_param: { base_score: '5E-1', num_class: '0', num_feature: '2', num_target: '1' },
    objective: { name: 'rank:ndcg' },
  },
  version: [2, 0, 3],
});

describe('prepareModel', () => {
  it('parses a LightGBM text model into a scorer and an explainer over its feature columns', () => {
    const model = prepareModel('m1', 'lightgbm', oneSplitModel(PAIR_FEATURE_NAMES));
    expect(model.featureNames).toEqual(PAIR_FEATURE_NAMES);
    const row = new Float64Array(PAIR_FEATURE_NAMES.length);
    row[1] = 1; // right of the 0.5 split
    expect(model.scorer.score(row)).toBeCloseTo(0.75, 12);
    const shap = model.explainer.explain(row);
    expect(shap.expectedValue + shap.contributions.reduce((sum, value) => sum + value, 0)).toBeCloseTo(0.75, 12);
  });

  it('imports an XGBoost JSON model', () => {
    const model = prepareModel('x1', 'xgboost-json', XGBOOST_STUMP);
    expect(model.featureNames).toEqual(['a', 'b']);
    expect(model.ensemble.trees).toHaveLength(1);
    expect(model.scorer.score([0, 0]) - model.scorer.score([1, 0])).toBeCloseTo(-1, 6);
  });

  it('refuses a malformed LightGBM file with a ModelFormatError naming the line', () => {
    expect(() => prepareModel('bad', 'lightgbm', 'not a model\n')).toThrow(ModelFormatError);
    expect(() => prepareModel('bad', 'lightgbm', 'not a model\n')).toThrow(/line 1/);
  });

  it('refuses text that is not JSON as an XGBoost model', () => {
    expect(() => prepareModel('bad', 'xgboost-json', '{"learner":')).toThrow(ModelFormatError);
  });
});

describe('featureMismatch', () => {
  it('accepts identical columns', () => {
    expect(featureMismatch(['a', 'b'], ['a', 'b'])).toBeNull();
  });
  it('names the counts when they differ', () => {
    expect(featureMismatch(['a'], ['a', 'b'])).toBe('the model has 1 features but the pair-feature spec has 2');
  });
  it('names the first differing column', () => {
    expect(featureMismatch(['a', 'x', 'y'], ['a', 'b', 'c'])).toBe(
      'feature column 1 is "x" in the model but "b" in the pair-feature spec',
    );
  });
});

describe('ParsedModelCache', () => {
  const parsed = prepareModel('template', 'lightgbm', oneSplitModel(['f0', 'f1']));
  const withId = (id: string): ParsedModel => ({ ...parsed, id });

  it('keeps at most maxEntries models, evicting the least recently used', () => {
    const cache = new ParsedModelCache(2);
    cache.set(withId('a'));
    cache.set(withId('b'));
    expect(cache.get('a')?.id).toBe('a'); // a is now the most recently used
    cache.set(withId('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.id).toBe('a');
    expect(cache.get('c')?.id).toBe('c');
  });

  it('refuses a size below one', () => {
    expect(() => new ParsedModelCache(0)).toThrow(RangeError);
  });
});
