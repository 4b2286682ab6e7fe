// The LambdaMART trainer learns a ranking from the feature that carries it, is reproducible from its
// seed, writes models that read back and score identically, stops early on a validation set, and
// refuses bad data and parameters with messages that say what is wrong.
import { describe, expect, it } from 'vitest';
import { LambdaRankGradients } from './lambdamart-gradients.js';
import { trainLambdaMart, type LambdaMartParams, type RankingDataset } from './lambdamart-trainer.js';
import { parseLightGbmModel, writeLightGbmModel } from './lightgbm-format.js';
import { ndcgAtK } from './ranking-metrics.js';
import { compileScorer } from './scorer.js';
import { seededUniform } from '../seeded-random.js';

const NUM_FEATURES = 5;
const RELEVANT_FEATURE = 2;

/** Queries of 20 documents; the label (0..3) is a step function of feature 2, the rest is noise. */
function syntheticDataset(numQueries: number, seed: number, shuffleLabels = false): RankingDataset {
  const random = seededUniform(seed);
  const perQuery = 20;
  const numRows = numQueries * perQuery;
  const rows = new Float64Array(numRows * NUM_FEATURES);
  const labels = new Float64Array(numRows);
  for (let row = 0; row < numRows; row++) {
    for (let f = 0; f < NUM_FEATURES; f++) rows[row * NUM_FEATURES + f] = Math.round(random() * 1000) / 1000;
    labels[row] = Math.min(3, Math.floor(rows[row * NUM_FEATURES + RELEVANT_FEATURE]! * 4));
  }
  if (shuffleLabels) for (let row = 0; row < numRows; row++) labels[row] = Math.floor(random() * 4);
  return { labels, rows, numRows, numFeatures: NUM_FEATURES, groups: new Int32Array(numQueries).fill(perQuery) };
}

function scoresOf(model: Parameters<typeof compileScorer>[0], data: RankingDataset): Float64Array {
  return compileScorer(model).scoreRows(data.rows, data.numRows);
}

const train = syntheticDataset(30, 1);
const params = { numIterations: 20, minDataInLeaf: 5, numLeaves: 8 };

describe('trainLambdaMart', () => {
  it('learns a ranking that depends on one feature and splits on that feature', () => {
    const result = trainLambdaMart(train, params);
    expect(result.model.objective).toBe('lambdarank');
    expect(result.model.comparison).toBe('le');
    expect(result.model.trees).toHaveLength(20);
    expect(result.model.trees[0]!.splitFeature[0]).toBe(RELEVANT_FEATURE);
    const test = syntheticDataset(10, 2);
    expect(ndcgAtK(test.labels, scoresOf(result.model, test), test.groups, 10)).toBeGreaterThanOrEqual(0.95);
    expect(result.history.at(-1)!.trainNdcg).toBeGreaterThanOrEqual(0.95);
    // Covers are row counts: the root saw every row, and each tree's leaves partition them.
    const tree = result.model.trees[0]!;
    expect(tree.internalCover[0]).toBe(train.numRows);
    expect(tree.leafCover.reduce((sum, count) => sum + count, 0)).toBe(train.numRows);
    expect(Math.min(...tree.leafCover)).toBeGreaterThanOrEqual(5);
  });

  it('warm-starts from initial scores: the new trees add to them, and the combined model improves on the base', () => {
    const base = trainLambdaMart(train, { ...params, numIterations: 2, numLeaves: 2 }).model;
    const valid = syntheticDataset(10, 3);
    const init = { train: scoresOf(base, train), valid: scoresOf(base, valid) };
    const { model: added, finalNdcg } = trainLambdaMart(train, params, valid, {}, init);
    const combined = { ...added, trees: [...base.trees, ...added.trees] };
    const combinedScores = scoresOf(combined, valid);
    const addedScores = scoresOf(added, valid);
    combinedScores.forEach((score, row) => expect(score).toBeCloseTo(init.valid[row]! + addedScores[row]!, 9));
    const baseNdcg = ndcgAtK(valid.labels, init.valid, valid.groups, 10);
    const combinedNdcg = ndcgAtK(valid.labels, combinedScores, valid.groups, 10);
    expect(combinedNdcg).toBeGreaterThan(baseNdcg);
    // The reported metric is the combined model's, not the new trees' alone.
    expect(finalNdcg['ndcg@10']).toBeCloseTo(combinedNdcg, 9);
    expect(() =>
      trainLambdaMart(train, params, valid, {}, { train: init.train.subarray(1), valid: init.valid }),
    ).toThrow(/initial scores for 600 training rows/);
  });

  it('uses thresholds that are training values of the split feature', () => {
    const { model } = trainLambdaMart(train, params);
    for (const tree of model.trees) {
      tree.splitFeature.forEach((feature, node) => {
        const values = new Set(
          Array.from({ length: train.numRows }, (_, row) => train.rows[row * NUM_FEATURES + feature]),
        );
        expect(values.has(tree.threshold[node])).toBe(true);
      });
    }
  });

  it('gives a byte-identical model for the same seed, and a different one for another seed when bagging', () => {
    const sampled = { ...params, baggingFraction: 0.7, baggingFreq: 1, featureFraction: 0.8, seed: 42 };
    const first = writeLightGbmModel(trainLambdaMart(train, sampled).model);
    const again = writeLightGbmModel(trainLambdaMart(train, sampled).model);
    const otherSeed = writeLightGbmModel(trainLambdaMart(train, { ...sampled, seed: 43 }).model);
    expect(again).toBe(first);
    expect(otherSeed).not.toBe(first);
  });

  it('writes a LightGBM model that reads back and scores exactly as the in-memory model', () => {
    const { model } = trainLambdaMart(train, { ...params, baggingFraction: 0.8, baggingFreq: 2, seed: 7 });
    const reloaded = parseLightGbmModel(writeLightGbmModel(model));
    const test = syntheticDataset(5, 3);
    expect(Array.from(scoresOf(reloaded, test))).toEqual(Array.from(scoresOf(model, test)));
    // And the compiled scorer agrees with a plain walk of the trees ('le': value <= threshold goes left).
    const walked = Array.from({ length: test.numRows }, (_, row) =>
      model.trees.reduce((sum, tree) => {
        let node = 0;
        while (node >= 0) {
          const value = test.rows[row * NUM_FEATURES + tree.splitFeature[node]!]!;
          node = value <= tree.threshold[node]! ? tree.leftChild[node]! : tree.rightChild[node]!;
        }
        return sum + tree.leafValue[~node]!;
      }, 0),
    );
    const scored = scoresOf(model, test);
    walked.forEach((score, row) => expect(scored[row]).toBeCloseTo(score, 12));
  });

  it('stops early when the validation NDCG stops improving and keeps the best iteration', () => {
    const noise = syntheticDataset(10, 4, true);
    const records: number[] = [];
    const result = trainLambdaMart(train, { ...params, numIterations: 200, earlyStoppingRounds: 3 }, noise, {
      onIteration: (record) => records.push(record.iteration),
    });
    expect(result.history.length).toBeLessThan(200);
    expect(result.history.length).toBe(result.bestIteration + 3);
    expect(result.model.trees).toHaveLength(result.bestIteration);
    expect(records).toEqual(result.history.map((record) => record.iteration));
    const best = Math.max(...result.history.map((record) => record.validNdcg!));
    expect(result.history[result.bestIteration - 1]!.validNdcg).toBe(best);
    expect(result.finalNdcg['ndcg@10']).toBeCloseTo(best, 12);
  });

  it('rejects an empty query group, NaN features, bad labels and mismatched validation data', () => {
    expect(() => trainLambdaMart({ ...train, groups: Int32Array.from([300, 0, 300]) }, params)).toThrow(
      /training data query groups line 2: empty query group/,
    );
    const withNaN = { ...train, rows: train.rows.slice() };
    withNaN.rows[7 * NUM_FEATURES + 3] = NaN;
    expect(() => trainLambdaMart(withNaN, params)).toThrow(/training data row 7 feature 3: NaN is not a finite number/);
    const badLabel = { ...train, labels: train.labels.slice() };
    badLabel.labels[4] = 1.5;
    expect(() => trainLambdaMart(badLabel, params)).toThrow(/row 4: label 1.5/);
    const narrow = { ...train, numFeatures: 1, rows: new Float64Array(train.numRows) };
    expect(() => trainLambdaMart(train, params, narrow)).toThrow(
      /validation data has 1 features but the training data has 5/,
    );
  });

  it.each([
    [{ numLeaves: 1 }, /numLeaves must be an integer in 2\.\.131072, got 1/],
    [{ learningRate: 0 }, /learningRate must be a finite number > 0/],
    [{ featureFraction: 1.5 }, /featureFraction must be a number in \(0, 1\]/],
    [{ evalAt: [] }, /evalAt must be a non-empty list/],
    [{ numIteration: 5 }, /unknown training parameter numIteration/],
  ])('rejects the parameter %j, naming it', (bad, message) => {
    expect(() => trainLambdaMart(train, bad as Partial<LambdaMartParams>)).toThrow(message);
  });

  it('respects maxDepth', () => {
    const { model } = trainLambdaMart(train, { ...params, maxDepth: 2, numLeaves: 31 });
    for (const tree of model.trees) expect(tree.leafValue.length).toBeLessThanOrEqual(4);
  });
});

describe('LambdaRankGradients', () => {
  it('matches a hand computation for one pair with lambdarank_norm', () => {
    // Labels 1, 0 with equal scores: ΔNDCG = (2^1 − 1 − 0) × |1 − 1/log2 3| / idealDCG (= 1), ρ = 1/2.
    const gradients = new Float64Array(2);
    const hessians = new Float64Array(2);
    new LambdaRankGradients(Float64Array.from([1, 0]), Int32Array.from([2]), 30, 1, true).compute(
      new Float64Array(2),
      gradients,
      hessians,
    );
    const deltaNdcg = 1 - 1 / Math.log2(3);
    const norm = Math.log2(1 + deltaNdcg) / deltaNdcg;
    expect(gradients[0]).toBeCloseTo(-0.5 * deltaNdcg * norm, 14);
    expect(gradients[1]).toBeCloseTo(0.5 * deltaNdcg * norm, 14);
    expect(hessians[0]).toBeCloseTo(0.25 * deltaNdcg * norm, 14);
    expect(hessians[1]).toBeCloseTo(0.25 * deltaNdcg * norm, 14);
  });

  it('gives zero gradients to a query whose documents are all equally relevant', () => {
    const gradients = Float64Array.from([9, 9]);
    const hessians = Float64Array.from([9, 9]);
    new LambdaRankGradients(Float64Array.from([2, 2]), Int32Array.from([2]), 30, 1, true).compute(
      Float64Array.from([1, 0]),
      gradients,
      hessians,
    );
    expect(Array.from(gradients)).toEqual([0, 0]);
    expect(Array.from(hessians)).toEqual([0, 0]);
  });
});
