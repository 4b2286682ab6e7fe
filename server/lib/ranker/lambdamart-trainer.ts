// Trains a LambdaMART ranker: gradient-boosted regression trees fitted to LightGBM's `lambdarank`
// gradients, on histogram-binned features, grown leaf-wise. The result is a `TreeEnsemble` that the
// LightGBM writer saves and the scorer serves, so its defaults follow LightGBM's (100 iterations,
// learning rate 0.1, 31 leaves, 20 rows per leaf, truncation level 30, NDCG@[1,3,5,10]).
//
// Determinism: everything random (feature and row subsampling) draws from one mulberry32 stream
// seeded by `seed`, and every tie (equal scores, equal gains) is broken by position, so the same
// data, parameters and seed give a byte-identical model.

import type { Tree, TreeEnsemble } from './tree-model.js';
import { binRows, computeFeatureBinning, MAX_BINS, type FeatureBinning } from './histogram-binning.js';
import { GbdtTreeLearner, type GrownTree } from './gbdt-tree-learner.js';
import { LambdaRankGradients } from './lambdamart-gradients.js';
import { validateGroups } from './libsvm.js';
import { ndcgAtK } from './ranking-metrics.js';
import { seededUniform } from '../seeded-random.js';

export interface RankingDataset {
  labels: Float64Array;
  /** Dense, row-major `numRows × numFeatures`. */
  rows: Float64Array;
  numRows: number;
  numFeatures: number;
  /** Sizes of consecutive query groups; they must add up to `numRows`. */
  groups: Int32Array;
  featureNames?: string[];
}

export interface LambdaMartParams {
  numIterations: number;
  learningRate: number;
  numLeaves: number;
  /** ≤ 0 (default −1): no depth limit, only `numLeaves`. */
  maxDepth: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  lambdaL2: number;
  /** Share of features each tree may split on (drawn per tree). */
  featureFraction: number;
  /** Share of rows each tree is trained on, redrawn every `baggingFreq` iterations (0: no bagging). */
  baggingFraction: number;
  baggingFreq: number;
  /** Stop when the validation NDCG has not improved for this many iterations (0: never). */
  earlyStoppingRounds: number;
  /** NDCG cut-offs reported; the last one drives early stopping and `history`. */
  evalAt: number[];
  seed: number;
  /** Only pairs with a document in the top `truncationLevel` by score produce lambdas. */
  truncationLevel: number;
  /** The RankNet sigmoid's steepness. */
  sigmoid: number;
  /** LightGBM's `lambdarank_norm`. */
  lambdarankNorm: boolean;
  maxBin: number;
}

export const DEFAULT_LAMBDAMART_PARAMS: Readonly<LambdaMartParams> = Object.freeze({
  numIterations: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  minSumHessianInLeaf: 1e-3,
  lambdaL2: 0,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
  earlyStoppingRounds: 0,
  evalAt: [1, 3, 5, 10],
  seed: 0,
  truncationLevel: 30,
  sigmoid: 1,
  lambdarankNorm: true,
  maxBin: MAX_BINS,
});

export interface IterationRecord {
  /** 1-based: the model after this many trees. */
  iteration: number;
  /** Training NDCG at the last `evalAt` cut-off. */
  trainNdcg: number;
  /** Validation NDCG at the last `evalAt` cut-off (only with a validation set). */
  validNdcg?: number;
}

export interface TrainResult {
  model: TreeEnsemble;
  history: IterationRecord[];
  /** Trees kept: the best validation iteration with early stopping, else all trees grown. */
  bestIteration: number;
  /** NDCG at every `evalAt` cut-off of the returned model, on the validation set if given, else on training. */
  finalNdcg: Record<string, number>;
}

export interface TrainHooks {
  onIteration?(record: IterationRecord): void;
}

/** A parameter out of range; the message names it. */
export class TrainingParamError extends RangeError {
  override name = 'TrainingParamError';
}

/** Training or validation data the trainer cannot use; the message says where. */
export class TrainingDataError extends Error {
  override name = 'TrainingDataError';
}

/** LightGBM's label gain table covers labels 0..30. */
const MAX_LABEL = 30;

/**
 * Scores boosting starts from instead of 0 — a warm start: the scores of an existing model on the same
 * rows, so the new trees learn what it still gets wrong. The returned model holds only the new trees;
 * the caller adds them to the model the scores came from.
 */
export interface InitialScores {
  train: Float64Array;
  valid?: Float64Array;
}

export function trainLambdaMart(
  train: RankingDataset,
  params: Partial<LambdaMartParams> = {},
  valid?: RankingDataset,
  hooks: TrainHooks = {},
  init?: InitialScores,
): TrainResult {
  const p = resolveParams(params);
  checkDataset(train, 'training data');
  if (valid) {
    checkDataset(valid, 'validation data');
    if (valid.numFeatures !== train.numFeatures) {
      throw new TrainingDataError(
        `validation data has ${valid.numFeatures} features but the training data has ${train.numFeatures}`,
      );
    }
  }
  const featureNames = train.featureNames ?? Array.from({ length: train.numFeatures }, (_, i) => `Column_${i}`);
  const { numRows, numFeatures } = train;
  const random = seededUniform(p.seed);
  const binning = computeFeatureBinning(train.rows, numRows, numFeatures, p.maxBin);
  const bins = binRows(binning, train.rows, numRows);
  const learner = new GbdtTreeLearner(bins, numRows, binning, p);
  const objective = new LambdaRankGradients(train.labels, train.groups, p.truncationLevel, p.sigmoid, p.lambdarankNorm);

  checkInitialScores(init, train, valid);
  const scores = init ? Float64Array.from(init.train) : new Float64Array(numRows);
  const gradients = new Float64Array(numRows);
  const hessians = new Float64Array(numRows);
  const validScores = valid
    ? init?.valid
      ? Float64Array.from(init.valid)
      : new Float64Array(valid.numRows)
    : undefined;
  const usableFeatures: number[] = [];
  for (let f = 0; f < numFeatures; f++) if (binning.numBins[f]! > 1) usableFeatures.push(f);
  const featureMask = new Uint8Array(numFeatures);
  const bagRows = new Int32Array(numRows);
  let bagSize = numRows;
  for (let row = 0; row < numRows; row++) bagRows[row] = row;
  const inBag = new Uint8Array(numRows).fill(1);
  const bagging = p.baggingFreq > 0 && p.baggingFraction < 1;
  const stopK = p.evalAt[p.evalAt.length - 1]!;

  const trees: Tree[] = [];
  const history: IterationRecord[] = [];
  let bestIteration = 0;
  let bestValid = -Infinity;

  for (let iteration = 1; iteration <= p.numIterations; iteration++) {
    objective.compute(scores, gradients, hessians);
    if (bagging && (iteration - 1) % p.baggingFreq === 0)
      bagSize = drawBag(random, numRows, p.baggingFraction, bagRows, inBag);
    chooseFeatures(random, usableFeatures, p.featureFraction, featureMask);
    const grown = learner.grow(gradients, hessians, bagRows, bagSize, featureMask);
    if (grown.numLeaves < 2) break;
    for (let leaf = 0; leaf < grown.numLeaves; leaf++) grown.leafOutput[leaf]! *= p.learningRate;
    learner.forEachLeafRow(grown.numLeaves, (leaf, begin, end, order) => {
      const value = grown.leafOutput[leaf]!;
      for (let i = begin; i < end; i++) scores[order[i]!]! += value;
    });
    if (bagSize < numRows) {
      for (let row = 0; row < numRows; row++) {
        if (!inBag[row]) scores[row]! += predictBinnedRow(grown, bins, row * numFeatures);
      }
    }
    const tree = toTree(grown, binning, p.learningRate);
    trees.push(tree);

    const record: IterationRecord = { iteration, trainNdcg: ndcgAtK(train.labels, scores, train.groups, stopK) };
    if (valid && validScores) {
      addTreeScores(tree, valid.rows, valid.numRows, valid.numFeatures, validScores);
      record.validNdcg = ndcgAtK(valid.labels, validScores, valid.groups, stopK);
      if (record.validNdcg > bestValid) {
        bestValid = record.validNdcg;
        bestIteration = iteration;
      }
    }
    history.push(record);
    hooks.onIteration?.(record);
    if (valid && p.earlyStoppingRounds > 0 && iteration - bestIteration >= p.earlyStoppingRounds) break;
  }
  if (!(valid && p.earlyStoppingRounds > 0)) bestIteration = trees.length;
  trees.length = bestIteration;

  const model: TreeEnsemble = {
    featureNames: [...featureNames],
    objective: 'lambdarank',
    comparison: 'le',
    baseScore: 0,
    trees,
    featureInfos: Array.from({ length: numFeatures }, (_, f) =>
      binning.numBins[f]! > 1 ? `[${binning.minValues[f]}:${binning.maxValues[f]}]` : 'none',
    ),
    parameters: describeParams(p),
  };
  const finalNdcg = evaluateModel(model, valid ?? train, p.evalAt, valid ? init?.valid : init?.train);
  return { model, history, bestIteration, finalNdcg };
}

/** Raw scores of an ensemble (on top of the initial scores, if any) on a dataset: the final metrics. */
function evaluateModel(
  model: TreeEnsemble,
  data: RankingDataset,
  evalAt: number[],
  initial?: Float64Array,
): Record<string, number> {
  const scores = initial ? Float64Array.from(initial) : new Float64Array(data.numRows);
  for (const tree of model.trees) addTreeScores(tree, data.rows, data.numRows, data.numFeatures, scores);
  const result: Record<string, number> = {};
  for (const k of evalAt) result[`ndcg@${k}`] = ndcgAtK(data.labels, scores, data.groups, k);
  return result;
}

/** Adds one 'le' tree's output for every row of a dense row-major matrix to `scores`. */
function addTreeScores(
  tree: Tree,
  rows: Float64Array,
  numRows: number,
  numFeatures: number,
  scores: Float64Array,
): void {
  for (let row = 0; row < numRows; row++) {
    const base = row * numFeatures;
    let node = 0;
    while (node >= 0) {
      node =
        rows[base + tree.splitFeature[node]!]! <= tree.threshold[node]!
          ? tree.leftChild[node]!
          : tree.rightChild[node]!;
    }
    scores[row]! += tree.leafValue[~node]!;
  }
}

function predictBinnedRow(tree: GrownTree, bins: Uint8Array, base: number): number {
  let node = 0;
  while (node >= 0) {
    node =
      bins[base + tree.splitFeature[node]!]! <= tree.splitBin[node]! ? tree.leftChild[node]! : tree.rightChild[node]!;
  }
  return tree.leafOutput[~node]!;
}

function checkInitialScores(init: InitialScores | undefined, train: RankingDataset, valid?: RankingDataset): void {
  if (!init) return;
  if (init.train.length !== train.numRows) {
    throw new TrainingDataError(`${init.train.length} initial scores for ${train.numRows} training rows`);
  }
  if (valid && init.valid?.length !== valid.numRows) {
    throw new TrainingDataError(`${init.valid?.length ?? 0} initial scores for ${valid.numRows} validation rows`);
  }
}

/** Turns a bin-space tree into the shared model form: thresholds are the bins' largest training values. */
function toTree(grown: GrownTree, binning: FeatureBinning, shrinkage: number): Tree {
  const internal = grown.numLeaves - 1;
  const threshold = new Float64Array(internal);
  for (let node = 0; node < internal; node++) {
    threshold[node] = binning.upperBounds[grown.splitFeature[node]!]![grown.splitBin[node]!]!;
  }
  return {
    splitFeature: grown.splitFeature.slice(0, internal),
    threshold,
    defaultLeft: new Uint8Array(internal),
    missingType: new Array<'none'>(internal).fill('none'),
    leftChild: grown.leftChild.slice(0, internal),
    rightChild: grown.rightChild.slice(0, internal),
    splitGain: grown.splitGain.slice(0, internal),
    internalCover: grown.internalCount.slice(0, internal),
    leafValue: grown.leafOutput.slice(0, grown.numLeaves),
    leafCover: grown.leafCount.slice(0, grown.numLeaves),
    shrinkage,
  };
}

/** Picks exactly round(fraction × rows) rows (at least 1), keeping them in row order. */
function drawBag(
  random: () => number,
  numRows: number,
  fraction: number,
  bagRows: Int32Array,
  inBag: Uint8Array,
): number {
  let needed = Math.max(1, Math.round(fraction * numRows));
  let size = 0;
  for (let row = 0; row < numRows; row++) {
    const take = random() * (numRows - row) < needed;
    inBag[row] = take ? 1 : 0;
    if (take) {
      bagRows[size++] = row;
      needed--;
    }
  }
  return size;
}

/** Flags round(fraction × usable) features (at least 1) for this tree. */
function chooseFeatures(random: () => number, usable: number[], fraction: number, mask: Uint8Array): void {
  if (fraction >= 1) {
    mask.fill(0);
    for (const feature of usable) mask[feature] = 1;
    return;
  }
  mask.fill(0);
  const pool = [...usable];
  const wanted = Math.max(1, Math.round(fraction * pool.length));
  for (let i = 0; i < wanted && i < pool.length; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const picked = pool[j]!;
    pool[j] = pool[i]!;
    pool[i] = picked;
    mask[picked] = 1;
  }
}

function describeParams(p: LambdaMartParams): Record<string, string> {
  return {
    objective: 'lambdarank',
    num_iterations: String(p.numIterations),
    learning_rate: String(p.learningRate),
    num_leaves: String(p.numLeaves),
    max_depth: String(p.maxDepth),
    min_data_in_leaf: String(p.minDataInLeaf),
    min_sum_hessian_in_leaf: String(p.minSumHessianInLeaf),
    lambda_l2: String(p.lambdaL2),
    feature_fraction: String(p.featureFraction),
    bagging_fraction: String(p.baggingFraction),
    bagging_freq: String(p.baggingFreq),
    early_stopping_round: String(p.earlyStoppingRounds),
    eval_at: p.evalAt.join(','),
    seed: String(p.seed),
    lambdarank_truncation_level: String(p.truncationLevel),
    sigmoid: String(p.sigmoid),
    lambdarank_norm: p.lambdarankNorm ? '1' : '0',
    max_bin: String(p.maxBin),
  };
}

type Check = (value: unknown) => boolean;
const integerAtLeast =
  (min: number): Check =>
  (value) =>
    Number.isInteger(value) && (value as number) >= min;
const numberIn =
  (min: number, max: number, minInclusive: boolean): Check =>
  (value) =>
    typeof value === 'number' && Number.isFinite(value) && (minInclusive ? value >= min : value > min) && value <= max;

const PARAM_RULES: Record<keyof LambdaMartParams, [Check, string]> = {
  numIterations: [integerAtLeast(1), 'an integer ≥ 1'],
  learningRate: [numberIn(0, Infinity, false), 'a finite number > 0'],
  numLeaves: [(v) => integerAtLeast(2)(v) && (v as number) <= 131072, 'an integer in 2..131072'],
  maxDepth: [Number.isInteger, 'an integer (≤ 0 for no limit)'],
  minDataInLeaf: [integerAtLeast(1), 'an integer ≥ 1'],
  minSumHessianInLeaf: [numberIn(0, Infinity, true), 'a finite number ≥ 0'],
  lambdaL2: [numberIn(0, Infinity, true), 'a finite number ≥ 0'],
  featureFraction: [numberIn(0, 1, false), 'a number in (0, 1]'],
  baggingFraction: [numberIn(0, 1, false), 'a number in (0, 1]'],
  baggingFreq: [integerAtLeast(0), 'an integer ≥ 0'],
  earlyStoppingRounds: [integerAtLeast(0), 'an integer ≥ 0'],
  evalAt: [
    (v) => Array.isArray(v) && v.length > 0 && v.every((k) => Number.isInteger(k) && (k as number) >= 1),
    'a non-empty list of integers ≥ 1',
  ],
  seed: [(v) => Number.isInteger(v) && Math.abs(v as number) <= 0xffffffff, 'an integer'],
  truncationLevel: [integerAtLeast(1), 'an integer ≥ 1'],
  sigmoid: [numberIn(0, Infinity, false), 'a finite number > 0'],
  lambdarankNorm: [(v) => typeof v === 'boolean', 'true or false'],
  maxBin: [(v) => integerAtLeast(2)(v) && (v as number) <= MAX_BINS, `an integer in 2..${MAX_BINS}`],
};

/** Fills in defaults and checks every parameter's range; unknown names are rejected (typos). */
export function resolveParams(params: Partial<LambdaMartParams>): LambdaMartParams {
  for (const [name, value] of Object.entries(params)) {
    const rule = PARAM_RULES[name as keyof LambdaMartParams];
    if (!rule) throw new TrainingParamError(`unknown training parameter ${name}`);
    if (value === undefined) continue;
    if (!rule[0](value)) throw new TrainingParamError(`${name} must be ${rule[1]}, got ${JSON.stringify(value)}`);
  }
  const defined = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const resolved = { ...DEFAULT_LAMBDAMART_PARAMS, ...defined };
  return { ...resolved, evalAt: [...resolved.evalAt] };
}

function checkDataset(data: RankingDataset, what: string): void {
  const { numRows, numFeatures, rows, labels, groups } = data;
  if (!Number.isInteger(numRows) || numRows < 1) throw new TrainingDataError(`${what} has no rows`);
  if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new TrainingDataError(`${what} has no features`);
  if (rows.length !== numRows * numFeatures) {
    throw new TrainingDataError(`${what}: rows hold ${rows.length} values, expected ${numRows} × ${numFeatures}`);
  }
  if (labels.length !== numRows) throw new TrainingDataError(`${what}: ${labels.length} labels for ${numRows} rows`);
  if (data.featureNames && data.featureNames.length !== numFeatures) {
    throw new TrainingDataError(`${what}: ${data.featureNames.length} feature names for ${numFeatures} features`);
  }
  try {
    validateGroups(groups, numRows, `${what} query groups`);
  } catch (error) {
    throw new TrainingDataError((error as Error).message);
  }
  for (let row = 0; row < numRows; row++) {
    const label = labels[row]!;
    if (!Number.isInteger(label) || label < 0 || label > MAX_LABEL) {
      throw new TrainingDataError(`${what} row ${row}: label ${label} is not an integer in 0..${MAX_LABEL}`);
    }
  }
  for (let i = 0; i < rows.length; i++) {
    const value = rows[i]!;
    if (!Number.isFinite(value)) {
      throw new TrainingDataError(
        `${what} row ${Math.floor(i / numFeatures)} feature ${i % numFeatures}: ${value} is not a finite number (NaN features are not supported)`,
      );
    }
  }
}
