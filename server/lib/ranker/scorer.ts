// The serving path: compiles a TreeEnsemble once into generated JavaScript (nested `if`s over numeric
// literals; a node-table interpreter for models too large or deep for that), so scoring a row is native
// compares with no allocation. Also home of the split rule itself (`splitGoesLeft`), which TreeSHAP and the
// interpreter use and the generated code reproduces, so explanations follow exactly the path the score took.
import { assertValidTree, FeatureRowError, ModelFormatError } from './model-errors.js';
import type { Tree, TreeEnsemble } from './tree-model.js';

/** LightGBM's kZeroThreshold is the float `1e-35f`; |x| at or below it counts as zero for 'zero' missing. */
const ZERO_THRESHOLD = Math.fround(1e-35);

/** Split flag: a NaN value goes left. */
export const FLAG_NAN_LEFT = 1;
/** Split flag: values within ±1e-35 are "missing" (LightGBM missing type 'zero'). */
export const FLAG_ZERO_IS_MISSING = 2;
/** Split flag: where "missing" zeros go. */
export const FLAG_ZERO_LEFT = 4;

/**
 * Folds a node's missing-value handling into three bits so the hot loop only looks at them when a value is
 * NaN or the node treats zero as missing. LightGBM's NumericalDecision: NaN becomes 0 unless the missing
 * type is 'nan'; then zero (type 'zero') or NaN (type 'nan') takes the default direction.
 */
export function splitFlags(tree: Tree, node: number, comparison: 'le' | 'lt'): number {
  const defaultLeft = tree.defaultLeft[node] !== 0;
  const threshold = tree.threshold[node]!;
  switch (tree.missingType[node]) {
    case 'nan':
      return defaultLeft ? FLAG_NAN_LEFT : 0;
    case 'zero':
      // NaN turns into 0, which is then "missing" and follows the default direction.
      return (defaultLeft ? FLAG_NAN_LEFT | FLAG_ZERO_LEFT : 0) | FLAG_ZERO_IS_MISSING;
    case 'none': {
      const zeroGoesLeft = comparison === 'le' ? 0 <= threshold : 0 < threshold;
      return zeroGoesLeft ? FLAG_NAN_LEFT : 0;
    }
    default:
      throw new ModelFormatError(`node ${node}: unknown missing type ${String(tree.missingType[node])}`);
  }
}

/** The split rule shared by the scorer and TreeSHAP. `lt` compares as 32-bit floats, as XGBoost does. */
export function splitGoesLeft(value: number, threshold: number, flags: number, lt: boolean): boolean {
  if (value !== value) return (flags & FLAG_NAN_LEFT) !== 0;
  if ((flags & FLAG_ZERO_IS_MISSING) !== 0 && value >= -ZERO_THRESHOLD && value <= ZERO_THRESHOLD) {
    return (flags & FLAG_ZERO_LEFT) !== 0;
  }
  return lt ? Math.fround(value) < threshold : value <= threshold;
}

export interface CompiledScorer {
  readonly numFeatures: number;
  /** Raw margin (sum of leaf values + baseScore, no sigmoid). NaN means "missing". */
  score(row: ArrayLike<number>): number;
  /** Scores `numRows` rows stored back to back in `rows` (row-major, `numFeatures` per row). */
  scoreRows(rows: Float64Array, numRows: number, out?: Float64Array): Float64Array;
}

/**
 * Adds each tree's leaf value to `out[r]` for rows `0 … numRows - 1`, tree by tree in ensemble order, so
 * every row sums baseScore + tree 0 + tree 1 + … in the same order whichever implementation runs.
 */
type AddTrees = (rows: Float64Array, numFeatures: number, numRows: number, out: Float64Array) => void;

/** Beyond this many internal nodes the ensemble is interpreted instead of compiled to JavaScript. */
export const MAX_GENERATED_NODES = 200_000;
/** Nested `if`s deeper than this could exhaust the parser's stack, so such models are interpreted. */
const MAX_GENERATED_DEPTH = 256;
/**
 * Internal nodes (plus leaves) per generated function. V8 does not optimise functions beyond ~60 KB of
 * bytecode; on the 300-tree benchmark model 2048 nodes per function crossed that line and ran 8× slower,
 * while 128 to 1024 ran alike. 256 leaves room for the longer code of 'zero' and 'lt' splits.
 */
const NODES_PER_GENERATED_FUNCTION = 256;

export interface CompileOptions {
  /**
   * 'auto' (the default) generates JavaScript unless the model is too large or too deep for it; 'interpreter'
   * forces the table-walking interpreter. Both give bit-identical scores; tests compare them.
   */
  implementation?: 'auto' | 'interpreter';
}

export function compileScorer(model: TreeEnsemble, options: CompileOptions = {}): CompiledScorer {
  const numFeatures = model.featureNames.length;
  let numInternal = 0;
  model.trees.forEach((tree, t) => {
    assertValidTree(tree, `tree ${t}`);
    for (let i = 0; i < tree.splitFeature.length; i++) {
      const feature = tree.splitFeature[i]!;
      if (feature < 0 || feature >= numFeatures) {
        throw new ModelFormatError(
          `tree ${t}, node ${i}: split feature ${feature} but the model has ${numFeatures} features`,
        );
      }
    }
    numInternal += tree.splitFeature.length;
  });

  const addTrees =
    (options.implementation ?? 'auto') === 'auto' && canGenerate(model, numInternal)
      ? generatedAddTrees(model)
      : interpretedAddTrees(model, numInternal);
  const baseScore = model.baseScore;
  // `score` copies its row here so the hot code only ever sees Float64Arrays (one shape keeps it fast).
  const scratchRow = new Float64Array(numFeatures);
  const scratchOut = new Float64Array(1);

  return {
    numFeatures,
    score(row: ArrayLike<number>): number {
      if (row.length !== numFeatures) {
        throw new FeatureRowError(`row has ${row.length} features but the model expects ${numFeatures}`);
      }
      for (let f = 0; f < numFeatures; f++) scratchRow[f] = row[f]!;
      scratchOut[0] = baseScore;
      addTrees(scratchRow, numFeatures, 1, scratchOut);
      return scratchOut[0];
    },
    scoreRows(rows: Float64Array, numRows: number, out?: Float64Array): Float64Array {
      if (rows.length !== numRows * numFeatures) {
        throw new FeatureRowError(
          `${numRows} rows of ${numFeatures} features need ${numRows * numFeatures} values, got ${rows.length}`,
        );
      }
      const result = out ?? new Float64Array(numRows);
      if (result.length < numRows) {
        throw new FeatureRowError(`output buffer holds ${result.length} scores but ${numRows} rows were given`);
      }
      result.fill(baseScore, 0, numRows);
      addTrees(rows, numFeatures, numRows, result);
      return result;
    },
  };
}

/** Code generation needs finite numbers (they become literals) and bounded size and depth. */
function canGenerate(model: TreeEnsemble, numInternal: number): boolean {
  if (numInternal > MAX_GENERATED_NODES) return false;
  for (const tree of model.trees) {
    if (!tree.threshold.every(Number.isFinite) || !tree.leafValue.every(Number.isFinite)) return false;
    if (treeDepth(tree) > MAX_GENERATED_DEPTH) return false;
  }
  return true;
}

function treeDepth(tree: Tree): number {
  if (tree.splitFeature.length === 0) return 0;
  let deepest = 0;
  const stack: number[] = [0, 1];
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of [tree.leftChild[node]!, tree.rightChild[node]!]) {
      if (child >= 0) stack.push(child, depth + 1);
    }
  }
  return deepest;
}

/** A finite double as a JavaScript literal that reads back as exactly the same double (keeping -0). */
function literal(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/**
 * The condition under which a row goes left at `node`, as a JavaScript expression over the row's values
 * (`rows[o + f]`). NaN fails every comparison, so `x <= t` sends NaN right and `!(x > t)` sends it left: the
 * common missing types cost no extra test. Only 'zero' nodes need the full rule of `splitGoesLeft`.
 */
function leftCondition(tree: Tree, node: number, comparison: 'le' | 'lt'): string {
  const value = `rows[o + ${tree.splitFeature[node]!}]`;
  const threshold = literal(tree.threshold[node]!);
  const flags = splitFlags(tree, node, comparison);
  const compare = (x: string): string => (comparison === 'lt' ? `fround(${x}) < ${threshold}` : `${x} <= ${threshold}`);
  if ((flags & FLAG_ZERO_IS_MISSING) === 0) {
    if ((flags & FLAG_NAN_LEFT) === 0) return compare(value);
    return comparison === 'lt' ? `!(fround(${value}) >= ${threshold})` : `!(${value} > ${threshold})`;
  }
  const nanLeft = (flags & FLAG_NAN_LEFT) !== 0;
  const zeroLeft = (flags & FLAG_ZERO_LEFT) !== 0;
  const zero = literal(ZERO_THRESHOLD);
  return `((v = ${value}) !== v ? ${nanLeft} : v >= -${zero} && v <= ${zero} ? ${zeroLeft} : ${compare('v')})`;
}

/** One tree as nested `if`s that end in `s += leafValue;`. */
function emitTree(tree: Tree, comparison: 'le' | 'lt', parts: string[]): void {
  const emit = (child: number): void => {
    if (child < 0) {
      parts.push(`s += ${literal(tree.leafValue[~child]!)};`);
      return;
    }
    parts.push(`if (${leftCondition(tree, child, comparison)}) {`);
    emit(tree.leftChild[child]!);
    parts.push('} else {');
    emit(tree.rightChild[child]!);
    parts.push('}');
  };
  emit(tree.splitFeature.length === 0 ? ~0 : 0);
}

/**
 * Compiles the trees into JavaScript functions of nested `if (rows[o + f] <= threshold)` with the
 * thresholds and leaf values as numeric literals, which V8 turns into native compares and branches: about
 * three times as fast as walking node tables on the 300-tree benchmark model. Each function runs its trees
 * over every row (a few dozen trees per function keep the code hot while the rows stream by) and
 * accumulates a row's sum in a local.
 *
 * `new Function` is safe here: the source contains only our own fixed text, integer feature indices and
 * numbers checked to be finite (`canGenerate`), printed by `literal` — no text from the model file.
 */
function generatedAddTrees(model: TreeEnsemble): AddTrees {
  const chunks: AddTrees[] = [];
  let parts: string[] = [];
  let nodesInChunk = 0;
  const flush = (): void => {
    const body =
      'for (let r = 0, o = 0; r < numRows; r++, o += numFeatures) {\n' +
      'let s = out[r];\nlet v = 0;\n' +
      parts.join('\n') +
      '\nout[r] = s;\n}';
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from numbers only, see above
    const factory = new Function(
      'fround',
      `return function addTrees(rows, numFeatures, numRows, out) {\n${body}\n};`,
    ) as (fround: (value: number) => number) => AddTrees;
    chunks.push(factory(Math.fround));
    parts = [];
    nodesInChunk = 0;
  };
  for (const tree of model.trees) {
    emitTree(tree, model.comparison, parts);
    nodesInChunk += tree.splitFeature.length + 1;
    if (nodesInChunk >= NODES_PER_GENERATED_FUNCTION) flush();
  }
  if (parts.length > 0) flush();
  return (rows, numFeatures, numRows, out) => {
    for (let c = 0; c < chunks.length; c++) chunks[c]!(rows, numFeatures, numRows, out);
  };
}

/**
 * The fallback for models too large or deep to generate: one node table for the whole ensemble, walked
 * tree by tree so one tree's nodes stay in L1 cache while every row walks it.
 */
function interpretedAddTrees(model: TreeEnsemble, numInternal: number): AddTrees {
  let numLeaves = 0;
  for (const tree of model.trees) numLeaves += tree.leafValue.length;
  // `children[2n]` / `children[2n + 1]` are node n's left / right child, so the branch taken becomes an
  // index (fewer mispredicted jumps); a negative child `c` is the global leaf `~c`.
  const feature = new Int32Array(numInternal);
  const threshold = new Float64Array(numInternal);
  const flags = new Uint8Array(numInternal);
  const children = new Int32Array(2 * numInternal);
  const leafValue = new Float64Array(numLeaves);
  const roots = new Int32Array(model.trees.length);
  let nodeBase = 0;
  let leafBase = 0;
  model.trees.forEach((tree, t) => {
    const n = tree.splitFeature.length;
    const relocate = (child: number): number => (child >= 0 ? child + nodeBase : ~(~child + leafBase));
    for (let i = 0; i < n; i++) {
      feature[nodeBase + i] = tree.splitFeature[i]!;
      threshold[nodeBase + i] = tree.threshold[i]!;
      flags[nodeBase + i] = splitFlags(tree, i, model.comparison);
      children[2 * (nodeBase + i)] = relocate(tree.leftChild[i]!);
      children[2 * (nodeBase + i) + 1] = relocate(tree.rightChild[i]!);
    }
    leafValue.set(tree.leafValue, leafBase);
    roots[t] = n === 0 ? ~leafBase : nodeBase;
    nodeBase += n;
    leafBase += tree.leafValue.length;
  });
  const numTrees = roots.length;
  const lt = model.comparison === 'lt';

  /** Leaf reached by the row starting at `offset` in `values`, from tree root `root`. */
  const leafOf = (values: Float64Array, offset: number, root: number): number => {
    let node = root;
    if (lt) {
      while (node >= 0) {
        const value = values[offset + feature[node]!]!;
        const nodeFlags = flags[node]!;
        const goLeft =
          nodeFlags === 0
            ? Math.fround(value) < threshold[node]!
            : splitGoesLeft(value, threshold[node]!, nodeFlags, true);
        node = children[2 * node + (goLeft ? 0 : 1)]!;
      }
    } else {
      while (node >= 0) {
        const value = values[offset + feature[node]!]!;
        const nodeFlags = flags[node]!;
        // With no flags set, NaN must go right, which is what a failed `<=` does.
        const goLeft =
          nodeFlags === 0 ? value <= threshold[node]! : splitGoesLeft(value, threshold[node]!, nodeFlags, false);
        node = children[2 * node + (goLeft ? 0 : 1)]!;
      }
    }
    return ~node;
  };

  return (rows, numFeatures, numRows, out) => {
    for (let t = 0; t < numTrees; t++) {
      const root = roots[t]!;
      for (let r = 0; r < numRows; r++) out[r]! += leafValue[leafOf(rows, r * numFeatures, root)]!;
    }
  };
}

/**
 * Checks rows arriving at the serving boundary: the flat buffer must hold exactly `numRows` rows of
 * `numFeatures` values, and every value must be finite (the product never sends "missing" features).
 */
export function assertFeatureRows(
  rows: Float64Array,
  numRows: number,
  numFeatures: number,
  featureNames?: string[],
): void {
  if (rows.length !== numRows * numFeatures) {
    const perRow = numRows > 0 ? ` (${(rows.length / numRows).toFixed(2)} per row)` : '';
    throw new FeatureRowError(
      `expected ${numRows} rows × ${numFeatures} features = ${numRows * numFeatures} values, got ${rows.length}${perRow}`,
    );
  }
  for (let r = 0; r < numRows; r++) {
    const offset = r * numFeatures;
    for (let f = 0; f < numFeatures; f++) {
      const value = rows[offset + f]!;
      if (!Number.isFinite(value)) {
        const name = featureNames?.[f];
        throw new FeatureRowError(`row ${r}, feature ${f}${name === undefined ? '' : ` (${name})`} is ${value}`);
      }
    }
  }
}
