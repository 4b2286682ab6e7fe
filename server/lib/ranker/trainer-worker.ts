// The worker-thread side of `trainInWorker`: trains with the data it was started with, reports each
// iteration, and posts the finished model back with its typed arrays transferred (not copied). Runs
// only inside a Worker; `train-in-worker.ts` is the API.
import { parentPort, workerData } from 'node:worker_threads';
import { trainLambdaMart } from './lambdamart-trainer.js';
import type { TrainerWorkerInput, TrainerWorkerMessage } from './train-in-worker.js';

if (!parentPort) throw new Error('trainer-worker.ts must run in a worker thread (use trainInWorker)');
const port = parentPort;
const input = workerData as TrainerWorkerInput;

function post(message: TrainerWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

try {
  const result = trainLambdaMart(
    input.train,
    input.params,
    input.valid,
    {
      onIteration: input.reportProgress ? (record) => post({ kind: 'progress', record }) : undefined,
    },
    input.init,
  );
  const buffers: ArrayBuffer[] = [];
  for (const tree of result.model.trees) {
    for (const array of [
      tree.splitFeature,
      tree.threshold,
      tree.defaultLeft,
      tree.leftChild,
      tree.rightChild,
      tree.splitGain,
      tree.internalCover,
      tree.leafValue,
      tree.leafCover,
    ]) {
      buffers.push(array.buffer as ArrayBuffer);
    }
  }
  post({ kind: 'done', result }, buffers);
} catch (error) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'error', name, message });
}
