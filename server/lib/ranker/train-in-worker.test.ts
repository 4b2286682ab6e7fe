// The worker-thread trainer really runs off the main thread (timers keep firing while it trains),
// returns the same model as training in-process, streams progress, and rejects with the trainer's
// own error.
import { describe, expect, it } from 'vitest';
import { trainLambdaMart, TrainingDataError, type RankingDataset } from './lambdamart-trainer.js';
import { writeLightGbmModel } from './lightgbm-format.js';
import { trainInWorker } from './train-in-worker.js';
import { seededUniform } from '../seeded-random.js';

function dataset(numQueries: number): RankingDataset {
  const random = seededUniform(11);
  const numFeatures = 20;
  const numRows = numQueries * 30;
  const rows = new Float64Array(numRows * numFeatures);
  const labels = new Float64Array(numRows);
  for (let row = 0; row < numRows; row++) {
    for (let f = 0; f < numFeatures; f++) rows[row * numFeatures + f] = random();
    labels[row] = Math.floor(rows[row * numFeatures]! * 3 + random());
  }
  return { labels, rows, numRows, numFeatures, groups: new Int32Array(numQueries).fill(30) };
}

describe('trainInWorker', () => {
  it('trains on a worker thread while the main thread keeps running, and returns the in-process model', async () => {
    const train = dataset(60);
    const params = { numIterations: 40, seed: 3, featureFraction: 0.7 };
    const progress: number[] = [];
    const ticksAtProgress: number[] = [];
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const result = await trainInWorker(train, params, undefined, {
      onProgress: (record) => {
        progress.push(record.iteration);
        ticksAtProgress.push(ticks);
      },
    });
    ticking = false;
    // The main event loop turned between the first and the last iteration: training did not block it.
    expect(ticksAtProgress.at(-1)!).toBeGreaterThan(ticksAtProgress[0]!);
    expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(result.model.trees[0]!.threshold).toBeInstanceOf(Float64Array);
    expect(writeLightGbmModel(result.model)).toBe(writeLightGbmModel(trainLambdaMart(train, params).model));
    // The caller's data is copied by default, so it is still usable.
    expect(train.rows.length).toBe(60 * 30 * 20);
  });

  it('transfers the data when asked, detaching the caller arrays', async () => {
    const train = dataset(10);
    const result = await trainInWorker(train, { numIterations: 2, minDataInLeaf: 5 }, undefined, {
      transferData: true,
    });
    expect(result.model.trees.length).toBe(2);
    expect(train.rows.length).toBe(0);
  });

  it('rejects with the trainer error class and message', async () => {
    const train = dataset(5);
    const bad = { ...train, groups: Int32Array.from([100, 0, 50]) };
    const failure = trainInWorker(bad, { numIterations: 2 });
    await expect(failure).rejects.toThrow(TrainingDataError);
    await expect(failure).rejects.toThrow(/training data query groups line 2: empty query group/);
    await expect(trainInWorker(train, { numLeaves: 0 })).rejects.toThrow(/numLeaves must be an integer/);
  });
});
