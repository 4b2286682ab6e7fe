// The compiled scorer against an independent recursive walk written here from the raw LightGBM text (so a
// bug shared by the reader and the scorer cannot hide), the generated-code path against the interpreter
// (bit for bit), plus the missing-value rules, the fallbacks and the row checks.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFilesPresent } from '../../../test/support/shared-files.js';
import { parseLightGbmModel } from './lightgbm-format.js';
import { FeatureRowError } from './model-errors.js';
import { assertFeatureRows, compileScorer } from './scorer.js';
import type { MissingType, Tree, TreeEnsemble } from './tree-model.js';
import { seededUniform } from '../seeded-random.js';

const modelPath = path.resolve(process.cwd(), '..', 'shared', 'data', 'models', 'leaves_lg_breast_cancer.txt');

interface RawTree {
  splitFeature: number[];
  threshold: number[];
  decisionType: number[];
  left: number[];
  right: number[];
  leafValue: number[];
}

/** A deliberately naive reading of the Tree= blocks: key=value lines, numbers split on spaces. */
function rawTrees(text: string): RawTree[] {
  return text
    .split(/^Tree=\d+$/m)
    .slice(1)
    .map((block) => {
      const fields: Record<string, number[]> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith('end of trees')) break;
        const eq = line.indexOf('=');
        if (eq > 0)
          fields[line.slice(0, eq)] =
            line.slice(eq + 1).trim() === ''
              ? []
              : line
                  .slice(eq + 1)
                  .trim()
                  .split(' ')
                  .map(Number);
      }
      return {
        splitFeature: fields.split_feature ?? [],
        threshold: fields.threshold ?? [],
        decisionType: fields.decision_type ?? [],
        left: fields.left_child ?? [],
        right: fields.right_child ?? [],
        leafValue: fields.leaf_value ?? [],
      };
    });
}

/** LightGBM's Tree::NumericalDecision, transcribed directly, walked recursively. */
function walk(tree: RawTree, node: number, row: number[]): number {
  if (node < 0) return tree.leafValue[~node]!;
  const decision = tree.decisionType[node]!;
  const missingType = (decision >> 2) & 3;
  const defaultLeft = (decision & 2) !== 0;
  let value = row[tree.splitFeature[node]!]!;
  if (Number.isNaN(value) && missingType !== 2) value = 0;
  let goLeft: boolean;
  if ((missingType === 1 && Math.abs(value) <= 1.0000000180025095e-35) || (missingType === 2 && Number.isNaN(value))) {
    goLeft = defaultLeft;
  } else {
    goLeft = value <= tree.threshold[node]!;
  }
  return walk(tree, goLeft ? tree.left[node]! : tree.right[node]!, row);
}

function referenceScore(trees: RawTree[], row: number[]): number {
  return trees.reduce(
    (sum, tree) => sum + (tree.splitFeature.length === 0 ? tree.leafValue[0]! : walk(tree, 0, row)),
    0,
  );
}

/** Rows inside the feature_infos ranges (a little beyond), with NaN, zeros and exact split thresholds mixed in. */
function generateRows(text: string, trees: RawTree[], count: number, seed: number): number[][] {
  const infos = /^feature_infos=(.*)$/m.exec(text)![1]!.split(' ');
  const thresholds = infos.map(() => [] as number[]);
  for (const tree of trees) tree.splitFeature.forEach((f, i) => thresholds[f]!.push(tree.threshold[i]!));
  const random = seededUniform(seed);
  return Array.from({ length: count }, () =>
    infos.map((info, f) => {
      const roll = random();
      if (roll < 0.05) return NaN;
      if (roll < 0.08) return 0;
      if (roll < 0.2 && thresholds[f]!.length > 0) return thresholds[f]![Math.floor(random() * thresholds[f]!.length)]!;
      const [lo, hi] = info === 'none' ? [0, 1] : info.slice(1, -1).split(':').map(Number);
      const span = hi! - lo!;
      return lo! - 0.1 * span + random() * 1.2 * span;
    }),
  );
}

/** Rewrites every decision_type so all missing types and both default directions occur. */
function withMixedDecisionTypes(text: string): string {
  const kinds = [2, 0, 4, 6, 8, 10];
  let counter = 0;
  return text.replace(
    /^decision_type=(.*)$/gm,
    (_, values: string) =>
      `decision_type=${values
        .split(' ')
        .map(() => kinds[counter++ % kinds.length])
        .join(' ')}`,
  );
}

describe.skipIf(!sharedFilesPresent([modelPath]))(
  'compiled scorer on the LightGBM breast-cancer model (needs ../shared/data)',
  () => {
    const original = existsSync(modelPath) ? readFileSync(modelPath, 'utf8') : '';

    for (const [label, text] of [
      ['as trained', original],
      ['with every missing type and default direction', withMixedDecisionTypes(original)],
    ] as const) {
      it(`matches an independent recursive tree walk on 200 rows (${label})`, () => {
        const trees = rawTrees(text);
        expect(trees).toHaveLength(39);
        const rows = generateRows(text, trees, 200, 7);
        const scorer = compileScorer(parseLightGbmModel(text));
        const flat = Float64Array.from(rows.flat());
        const batch = scorer.scoreRows(flat, rows.length);
        rows.forEach((row, r) => {
          const expected = referenceScore(trees, row);
          expect(Math.abs(scorer.score(row) - expected)).toBeLessThanOrEqual(1e-12);
          expect(batch[r]).toBe(scorer.score(row));
        });
        // The generated rows must actually exercise NaN and exact-threshold values.
        expect(rows.flat().some(Number.isNaN)).toBe(true);
        const interpreted = compileScorer(parseLightGbmModel(text), { implementation: 'interpreter' });
        expect(bitDifferences(batch, interpreted.scoreRows(flat, rows.length))).toEqual([]);
      });
    }

    it('reuses the output buffer it is given', () => {
      const scorer = compileScorer(parseLightGbmModel(original));
      const rows = new Float64Array(3 * 30).fill(1);
      const out = new Float64Array(5);
      expect(scorer.scoreRows(rows, 3, out)).toBe(out);
      expect(out[0]).toBe(scorer.score(new Float64Array(30).fill(1)));
    });
  },
);

/** Indices where two score vectors differ as doubles (Object.is, so 0 and -0 count as different). */
function bitDifferences(a: Float64Array, b: Float64Array): number[] {
  expect(a.length).toBe(b.length);
  return Array.from(a.keys()).filter((i) => !Object.is(a[i], b[i]));
}

/** A random ensemble: every missing type and default direction, thresholds from a small shared grid. */
function syntheticEnsemble(
  comparison: 'le' | 'lt',
  numTrees: number,
  numFeatures: number,
  grid: number[],
  seed: number,
): TreeEnsemble {
  const random = seededUniform(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const missingTypes: MissingType[] = ['none', 'zero', 'nan'];
  const trees = Array.from({ length: numTrees }, (): Tree => {
    const numLeaves = 1 + Math.floor(random() * 31);
    const splitFeature: number[] = [];
    const threshold: number[] = [];
    const leftChild: number[] = [];
    const rightChild: number[] = [];
    let leaves = 0;
    // Pre-order ids; a subtree with n leaves splits into k and n - k.
    const build = (n: number): number => {
      if (n === 1) return ~leaves++;
      const id = splitFeature.length;
      splitFeature.push(Math.floor(random() * numFeatures));
      threshold.push(pick(grid));
      leftChild.push(0);
      rightChild.push(0);
      const k = 1 + Math.floor(random() * (n - 1));
      leftChild[id] = build(k);
      rightChild[id] = build(n - k);
      return id;
    };
    build(numLeaves);
    const n = splitFeature.length;
    return {
      splitFeature: Int32Array.from(splitFeature),
      threshold: Float64Array.from(threshold),
      defaultLeft: Uint8Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0)),
      missingType: Array.from({ length: n }, () => pick(missingTypes)),
      leftChild: Int32Array.from(leftChild),
      rightChild: Int32Array.from(rightChild),
      splitGain: new Float64Array(n).fill(1),
      internalCover: new Float64Array(n).fill(2),
      leafValue: Float64Array.from({ length: numLeaves }, () => (random() < 0.05 ? -0 : random() - 0.5)),
      leafCover: new Float64Array(numLeaves).fill(1),
      shrinkage: 0.1,
    };
  });
  const featureNames = Array.from({ length: numFeatures }, (_, f) => `f${f}`);
  return { featureNames, objective: 'test', comparison, baseScore: comparison === 'lt' ? 0.5 : 0, trees };
}

/** Rows full of edge values: NaN, ±0, values inside ±1e-35, thresholds exactly and one double ulp away. */
function edgeRows(numRows: number, numFeatures: number, grid: number[], seed: number): Float64Array {
  const random = seededUniform(seed);
  const specials = [NaN, 0, -0, 1e-36, -1e-36, 2e-35, ...grid, ...grid.map((t) => t + Math.abs(t) * 2 ** -52)];
  return Float64Array.from({ length: numRows * numFeatures }, () =>
    random() < 0.6 ? specials[Math.floor(random() * specials.length)]! : 4 * random() - 2,
  );
}

describe('generated code and interpreter agree bit for bit', () => {
  const numFeatures = 300;
  for (const comparison of ['le', 'lt'] as const) {
    it(`on a synthetic 300-tree model ('${comparison}') with NaN, zeros and threshold-equal values`, () => {
      // 'lt' models hold float32 thresholds (as XGBoost stores them), which float32 rounding of x can hit.
      const raw = [-1.5, -0.3, -1e-36, 0, 1e-36, 0.1, 0.5, 0.7, 1.25];
      const grid = comparison === 'lt' ? raw.map(Math.fround) : raw;
      const model = syntheticEnsemble(comparison, 300, numFeatures, grid, comparison === 'lt' ? 11 : 12);
      const rows = edgeRows(200, numFeatures, grid, 13);
      const generated = compileScorer(model);
      const interpreted = compileScorer(model, { implementation: 'interpreter' });
      const batch = generated.scoreRows(rows, 200);
      expect(bitDifferences(batch, interpreted.scoreRows(rows, 200))).toEqual([]);
      const single = Float64Array.from({ length: 200 }, (_, r) =>
        generated.score(rows.subarray(r * numFeatures, (r + 1) * numFeatures)),
      );
      expect(bitDifferences(single, batch)).toEqual([]);
      // The scores must not all collapse to one value (which would make the comparison vacuous).
      expect(new Set(batch).size).toBeGreaterThan(150);
    });
  }

  it('keeps the sign of zero leaf values (a literal 0 in place of -0 would turn -0 + -0 into 0)', () => {
    const tree = { ...stump('none', false, 0.5), leafValue: Float64Array.of(-0, 0) };
    for (const implementation of ['auto', 'interpreter'] as const) {
      const scorer = compileScorer(ensemble(tree, 'le', -0), { implementation });
      expect(Object.is(scorer.score([0]), -0)).toBe(true);
      expect(Object.is(scorer.score([1]), 0)).toBe(true);
    }
  });

  it('falls back to the interpreter for non-finite thresholds and very deep trees, with the same scores', () => {
    // A chain: node i sends x <= i left to leaf i, otherwise on to node i + 1; 300 levels deep.
    const depth = 300;
    const chain: Tree = {
      splitFeature: new Int32Array(depth),
      threshold: Float64Array.from({ length: depth }, (_, i) => (i === depth - 1 ? Infinity : i)),
      defaultLeft: new Uint8Array(depth),
      missingType: new Array<MissingType>(depth).fill('none'),
      leftChild: Int32Array.from({ length: depth }, (_, i) => ~i),
      rightChild: Int32Array.from({ length: depth }, (_, i) => (i === depth - 1 ? ~depth : i + 1)),
      splitGain: new Float64Array(depth).fill(1),
      internalCover: new Float64Array(depth).fill(2),
      leafValue: Float64Array.from({ length: depth + 1 }, (_, i) => i * 10),
      leafCover: new Float64Array(depth + 1).fill(1),
      shrinkage: 1,
    };
    const scorer = compileScorer(ensemble(chain, 'le', 0.5));
    expect(scorer.score([-3])).toBe(0.5);
    expect(scorer.score([41.5])).toBe(420.5);
    expect(scorer.score([1e300])).toBe(2990.5);
    expect(scorer.score([Infinity])).toBe(2990.5);
    expect(scorer.score([NaN])).toBe(0.5); // 'none': NaN counts as 0
    const finiteChain = { ...chain, threshold: Float64Array.from({ length: depth }, (_, i) => i) };
    expect(compileScorer(ensemble(finiteChain, 'le')).score([1e300])).toBe(3000);
  });
});

function stump(missingType: MissingType, defaultLeft: boolean, threshold: number): Tree {
  return {
    splitFeature: Int32Array.of(0),
    threshold: Float64Array.of(threshold),
    defaultLeft: Uint8Array.of(defaultLeft ? 1 : 0),
    missingType: [missingType],
    leftChild: Int32Array.of(~0),
    rightChild: Int32Array.of(~1),
    splitGain: Float64Array.of(1),
    internalCover: Float64Array.of(2),
    leafValue: Float64Array.of(-1, 1),
    leafCover: Float64Array.of(1, 1),
    shrinkage: 1,
  };
}

function ensemble(tree: Tree, comparison: 'le' | 'lt', baseScore = 0): TreeEnsemble {
  return { featureNames: ['x'], objective: 'test', comparison, baseScore, trees: [tree] };
}

describe('split rules', () => {
  it("follows LightGBM's NumericalDecision for each missing type ('le')", () => {
    const side = (m: MissingType, dl: boolean, t: number, x: number): string =>
      compileScorer(ensemble(stump(m, dl, t), 'le')).score([x]) < 0 ? 'L' : 'R';
    // 'none': NaN is read as 0, then compared; the default direction is never used.
    expect(side('none', false, 0.5, NaN)).toBe('L');
    expect(side('none', true, -0.5, NaN)).toBe('R');
    // 'zero': zero (and NaN, which becomes zero) takes the default direction.
    expect(side('zero', false, 0.5, 0)).toBe('R');
    expect(side('zero', false, 0.5, 1e-36)).toBe('R');
    expect(side('zero', false, 0.5, NaN)).toBe('R');
    expect(side('zero', true, -0.5, 0)).toBe('L');
    expect(side('zero', false, 0.5, 0.25)).toBe('L');
    // 'nan': only NaN takes the default direction; zero is an ordinary value.
    expect(side('nan', false, 0.5, NaN)).toBe('R');
    expect(side('nan', true, -0.5, NaN)).toBe('L');
    expect(side('nan', false, 0.5, 0)).toBe('L');
    // The threshold itself goes left.
    expect(side('none', false, 0.5, 0.5)).toBe('L');
  });

  it("compares as 32-bit floats with x < threshold for XGBoost models ('lt')", () => {
    const threshold = Math.fround(0.1);
    const scorer = compileScorer(ensemble(stump('nan', true, threshold), 'lt', 0.25));
    expect(scorer.score([threshold])).toBe(1.25);
    // 0.1 as a double lies below float32(0.1), yet as a float32 it equals the threshold: goes right.
    expect(scorer.score([0.1])).toBe(1.25);
    expect(scorer.score([0.0999])).toBe(-0.75);
    expect(scorer.score([NaN])).toBe(-0.75);
  });
});

describe('feature row checks', () => {
  it('scores reject rows of the wrong length', () => {
    const scorer = compileScorer(ensemble(stump('none', false, 0), 'le'));
    expect(() => scorer.score([1, 2])).toThrow(FeatureRowError);
    expect(() => scorer.scoreRows(new Float64Array(3), 2)).toThrow(/2 rows of 1 features need 2 values, got 3/);
  });

  it('assertFeatureRows names the row and feature of a non-finite value', () => {
    const rows = Float64Array.of(1, 2, 3, 4, NaN, 6);
    expect(() => assertFeatureRows(rows, 2, 3, ['age', 'distance', 'cosine'])).toThrow(
      new FeatureRowError('row 1, feature 1 (distance) is NaN'),
    );
    expect(() => assertFeatureRows(Float64Array.of(1, Infinity), 1, 2)).toThrow('row 0, feature 1 is Infinity');
    expect(() => assertFeatureRows(rows, 2, 4)).toThrow(/expected 2 rows × 4 features = 8 values, got 6/);
    expect(() => assertFeatureRows(Float64Array.of(1, 2, 3, 4), 2, 2)).not.toThrow();
  });
});
