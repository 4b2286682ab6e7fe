// TreeSHAP: equal to brute-force Shapley values (all feature subsets, cover-weighted conditional
// expectations) on small random ensembles; contributions sum to score − expected value on the real LightGBM
// and XGBoost models; equal to XGBoost's own pred_contribs on the agaricus model when XGBoost is present.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFilesPresent } from '../../../test/support/shared-files.js';
import { parseLightGbmModel } from './lightgbm-format.js';
import { FeatureRowError } from './model-errors.js';
import { compileScorer } from './scorer.js';
import { createTreeShapExplainer, treeShap } from './tree-shap.js';
import type { MissingType, Tree, TreeEnsemble } from './tree-model.js';
import { importXgboostJson } from './xgboost-json.js';

const dataDir = path.resolve(process.cwd(), '..', 'shared', 'data', 'models');
const lightGbmPath = path.join(dataDir, 'leaves_lg_breast_cancer.txt');
const xgboostPath = path.join(dataDir, 'leaves_xgagaricus.json');
const referenceScript = path.resolve(process.cwd(), 'scripts', 'xgboost_reference.py');
const hasXgboost = spawnSync('/usr/bin/python3', ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;

function lcg(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 48271) % 2147483647) - 1) / 2147483646;
}

const MISSING: MissingType[] = ['none', 'zero', 'nan'];

/** A random tree over `numFeatures` features (features repeat along paths), covers additive from the leaves. */
function randomTree(random: () => number, numFeatures: number, maxDepth: number): Tree {
  const splitFeature: number[] = [];
  const threshold: number[] = [];
  const defaultLeft: number[] = [];
  const missingType: MissingType[] = [];
  const leftChild: number[] = [];
  const rightChild: number[] = [];
  const internalCover: number[] = [];
  const leafValue: number[] = [];
  const leafCover: number[] = [];
  const build = (depth: number): [number, number] => {
    if (depth === maxDepth || (depth > 0 && random() < 0.25)) {
      leafValue.push(Math.round((random() * 4 - 2) * 1000) / 1000);
      leafCover.push(1 + Math.floor(random() * 50));
      return [~(leafValue.length - 1), leafCover[leafCover.length - 1]!];
    }
    const node = splitFeature.length;
    splitFeature.push(Math.floor(random() * numFeatures));
    threshold.push(Math.round(random() * 100) / 100);
    defaultLeft.push(random() < 0.5 ? 1 : 0);
    missingType.push(MISSING[Math.floor(random() * 3)]!);
    leftChild.push(0);
    rightChild.push(0);
    internalCover.push(0);
    const [l, lc] = build(depth + 1);
    const [r, rc] = build(depth + 1);
    leftChild[node] = l;
    rightChild[node] = r;
    internalCover[node] = lc + rc;
    return [node, lc + rc];
  };
  build(0);
  return {
    splitFeature: Int32Array.from(splitFeature),
    threshold: Float64Array.from(threshold),
    defaultLeft: Uint8Array.from(defaultLeft),
    missingType,
    leftChild: Int32Array.from(leftChild),
    rightChild: Int32Array.from(rightChild),
    splitGain: new Float64Array(splitFeature.length).fill(1),
    internalCover: Float64Array.from(internalCover),
    leafValue: Float64Array.from(leafValue),
    leafCover: Float64Array.from(leafCover),
    shrinkage: 1,
  };
}

/** The split rule written out independently of the scorer (LightGBM semantics, or XGBoost's float32 '<'). */
function goesLeft(tree: Tree, node: number, value: number, comparison: 'le' | 'lt'): boolean {
  const missing = tree.missingType[node];
  let x = value;
  if (Number.isNaN(x) && missing !== 'nan') x = 0;
  if ((missing === 'zero' && Math.abs(x) <= Math.fround(1e-35)) || (missing === 'nan' && Number.isNaN(x))) {
    return tree.defaultLeft[node] === 1;
  }
  return comparison === 'le' ? x <= tree.threshold[node]! : Math.fround(x) < tree.threshold[node]!;
}

/** E[f(x) | x_S]: follow x on features in S, otherwise average the children by cover. */
function conditionalExpectation(model: TreeEnsemble, row: number[], known: Set<number>): number {
  let total = model.baseScore;
  for (const tree of model.trees) {
    const visit = (child: number): number => {
      if (child < 0) return tree.leafValue[~child]!;
      const l = tree.leftChild[child]!;
      const r = tree.rightChild[child]!;
      const feature = tree.splitFeature[child]!;
      if (known.has(feature)) return visit(goesLeft(tree, child, row[feature]!, model.comparison) ? l : r);
      const cover = (c: number): number => (c < 0 ? tree.leafCover[~c]! : tree.internalCover[c]!);
      return (cover(l) * visit(l) + cover(r) * visit(r)) / tree.internalCover[child]!;
    };
    total += tree.splitFeature.length === 0 ? tree.leafValue[0]! : visit(0);
  }
  return total;
}

function bruteForceShapley(model: TreeEnsemble, row: number[]): { expected: number; phi: number[] } {
  const m = model.featureNames.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(m).fill(0);
  for (let mask = 0; mask < 1 << m; mask++) {
    const subset = new Set<number>();
    for (let f = 0; f < m; f++) if (mask & (1 << f)) subset.add(f);
    const without = conditionalExpectation(model, row, subset);
    for (let f = 0; f < m; f++) {
      if (subset.has(f)) continue;
      const weight = (factorial(subset.size) * factorial(m - subset.size - 1)) / factorial(m);
      phi[f]! += weight * (conditionalExpectation(model, row, new Set([...subset, f])) - without);
    }
  }
  return { expected: conditionalExpectation(model, row, new Set()), phi };
}

describe('TreeSHAP on small random ensembles', () => {
  for (const comparison of ['le', 'lt'] as const) {
    it(`equals brute-force Shapley values over all feature subsets ('${comparison}')`, () => {
      const random = lcg(comparison === 'le' ? 5 : 17);
      for (let trial = 0; trial < 6; trial++) {
        const numFeatures = 3 + (trial % 3);
        const model: TreeEnsemble = {
          featureNames: Array.from({ length: numFeatures }, (_, i) => `x${i}`),
          objective: 'test',
          comparison,
          baseScore: trial * 0.1,
          trees: Array.from({ length: 4 }, () => randomTree(random, numFeatures, 4)),
        };
        const explainer = createTreeShapExplainer(model);
        for (let r = 0; r < 8; r++) {
          const row = Array.from({ length: numFeatures }, () => {
            const roll = random();
            return roll < 0.1 ? NaN : roll < 0.2 ? 0 : Math.round(random() * 100) / 100;
          });
          const { expected, phi } = bruteForceShapley(model, row);
          const shap = explainer.explain(row);
          expect(Math.abs(shap.expectedValue - expected)).toBeLessThanOrEqual(1e-12);
          phi.forEach((value, f) =>
            expect(
              Math.abs(shap.contributions[f]! - value),
              `trial ${trial} row ${r} feature ${f}`,
            ).toBeLessThanOrEqual(1e-12),
          );
        }
      }
    });
  }

  it('gives a single-leaf tree no contributions and its value as expectation', () => {
    const model: TreeEnsemble = {
      featureNames: ['a'],
      objective: 'test',
      comparison: 'le',
      baseScore: 0,
      trees: [
        {
          splitFeature: new Int32Array(0),
          threshold: new Float64Array(0),
          defaultLeft: new Uint8Array(0),
          missingType: [],
          leftChild: new Int32Array(0),
          rightChild: new Int32Array(0),
          splitGain: new Float64Array(0),
          internalCover: new Float64Array(0),
          leafValue: Float64Array.of(0.75),
          leafCover: Float64Array.of(1),
          shrinkage: 1,
        },
      ],
    };
    expect(treeShap(model, [3])).toEqual({ expectedValue: 0.75, contributions: Float64Array.of(0) });
    expect(() => treeShap(model, [3, 4])).toThrow(FeatureRowError);
  });
});

function expectSumProperty(model: TreeEnsemble, rows: number[][]): void {
  const scorer = compileScorer(model);
  const explainer = createTreeShapExplainer(model);
  for (const row of rows) {
    const { expectedValue, contributions } = explainer.explain(row);
    const sum = contributions.reduce((a, b) => a + b, expectedValue);
    const score = scorer.score(row);
    expect(Math.abs(sum - score)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(score)));
  }
}

function agaricusRows(count: number): number[][] {
  const random = lcg(23);
  return Array.from({ length: count }, () =>
    Array.from({ length: 127 }, () => {
      const roll = random();
      return roll < 0.1 ? NaN : roll < 0.55 ? 1 : 0;
    }),
  );
}

describe.skipIf(!sharedFilesPresent([lightGbmPath, xgboostPath]))(
  'TreeSHAP on the real models (needs ../shared/data)',
  () => {
    it('LightGBM breast cancer: contributions sum to score − expected value', () => {
      const model = parseLightGbmModel(readFileSync(lightGbmPath, 'utf8'));
      const random = lcg(9);
      const rows = Array.from({ length: 150 }, () =>
        Array.from({ length: 30 }, (_, f) => (random() < 0.05 ? NaN : random() * (f % 10 < 4 ? 300 : 0.3))),
      );
      expectSumProperty(model, rows);
      // LightGBM's expected value is the count-weighted mean leaf value of each tree.
      const expected = model.trees.reduce(
        (sum, tree) =>
          sum + tree.leafValue.reduce((s, v, i) => s + (v * tree.leafCover[i]!) / tree.internalCover[0]!, 0),
        0,
      );
      expect(createTreeShapExplainer(model).explain(rows[0]!).expectedValue).toBeCloseTo(expected, 12);
    });

    it('XGBoost agaricus: contributions sum to score − expected value', () => {
      expectSumProperty(importXgboostJson(readFileSync(xgboostPath, 'utf8')), agaricusRows(150));
    });

    it.skipIf(!hasXgboost)(
      'XGBoost agaricus: equals XGBoost pred_contribs (skipped when /usr/bin/python3 cannot import xgboost)',
      () => {
        const rows = agaricusRows(60);
        const result = spawnSync('/usr/bin/python3', [referenceScript, xgboostPath, '-'], {
          input: JSON.stringify(rows),
          encoding: 'utf8',
        });
        expect(result.status, result.stderr).toBe(0);
        const reference = JSON.parse(result.stdout) as { contributions: number[][] };
        const explainer = createTreeShapExplainer(importXgboostJson(readFileSync(xgboostPath, 'utf8')));
        let nonZero = 0;
        rows.forEach((row, r) => {
          const { expectedValue, contributions } = explainer.explain(row);
          const expected = reference.contributions[r]!;
          expect(expected).toHaveLength(128);
          contributions.forEach((value, f) => {
            if (value !== 0) nonZero++;
            expect(Math.abs(value - expected[f]!), `row ${r} feature ${f}`).toBeLessThanOrEqual(1e-5);
          });
          expect(Math.abs(expectedValue - expected[127]!)).toBeLessThanOrEqual(1e-5);
        });
        expect(nonZero).toBeGreaterThan(60);
      },
    );
  },
);
