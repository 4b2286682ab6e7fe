// Runs the LambdaMART trainer on a worker thread so a server that starts a training run keeps
// answering requests: the main thread only waits for messages.
//
// The worker is a TypeScript file. On Node 20 a worker does not get ESM loader hooks (neither from
// `execArgv: ['--import', 'tsx']` nor from `module.register` inside it: "Unknown file extension
// .ts"), so the worker starts from a two-line CommonJS bootstrap that installs tsx's require hook
// and then requires the worker file — the same under `node --import tsx` and under vitest, and
// independent of the working folder. A compiled build (a .js file beside this one) starts the .js
// worker directly.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  TrainingDataError,
  TrainingParamError,
  type InitialScores,
  type IterationRecord,
  type LambdaMartParams,
  type RankingDataset,
  type TrainResult,
} from './lambdamart-trainer.js';

/** What the worker is started with (its `workerData`). */
export interface TrainerWorkerInput {
  train: RankingDataset;
  params: Partial<LambdaMartParams>;
  valid?: RankingDataset;
  reportProgress: boolean;
  init?: InitialScores;
}

/** What the worker posts back. */
export type TrainerWorkerMessage =
  | { kind: 'progress'; record: IterationRecord }
  | { kind: 'done'; result: TrainResult }
  | { kind: 'error'; name: string; message: string };

export interface TrainInWorkerOptions {
  onProgress?(record: IterationRecord): void;
  /**
   * Move the datasets' typed arrays to the worker instead of copying them. Faster and lighter for
   * big datasets, but the caller's arrays become unusable (detached) afterwards.
   */
  transferData?: boolean;
  /** Scores to boost from (a warm start from an existing model's scores on these rows). */
  init?: InitialScores;
}

function startWorker(input: TrainerWorkerInput, transferList: ArrayBuffer[]): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./trainer-worker.js', import.meta.url), { workerData: input, transferList });
  }
  const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const workerFile = fileURLToPath(new URL('./trainer-worker.ts', import.meta.url));
  const bootstrap = `require(${JSON.stringify(tsxRequireHook)}).register();\nrequire(${JSON.stringify(workerFile)});`;
  return new Worker(bootstrap, { eval: true, workerData: input, transferList });
}

/** Errors that cross the thread boundary keep their class when the trainer defines it. */
function rebuildError(name: string, message: string): Error {
  if (name === 'TrainingDataError') return new TrainingDataError(message);
  if (name === 'TrainingParamError') return new TrainingParamError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}

function datasetBuffers(data: RankingDataset | undefined): ArrayBuffer[] {
  if (!data) return [];
  return [data.labels.buffer, data.rows.buffer, data.groups.buffer] as ArrayBuffer[];
}

/** `trainLambdaMart` on a worker thread; rejects with the trainer's own error message. */
export function trainInWorker(
  train: RankingDataset,
  params: Partial<LambdaMartParams>,
  valid?: RankingDataset,
  options: TrainInWorkerOptions = {},
): Promise<TrainResult> {
  const input: TrainerWorkerInput = {
    train,
    params,
    valid,
    reportProgress: options.onProgress !== undefined,
    ...(options.init ? { init: options.init } : {}),
  };
  const transferList = options.transferData ? [...new Set([...datasetBuffers(train), ...datasetBuffers(valid)])] : [];
  return new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const worker = startWorker(input, transferList);
    worker.on('message', (message: TrainerWorkerMessage) => {
      if (message.kind === 'progress') {
        options.onProgress?.(message.record);
      } else if (message.kind === 'done') {
        settle(() => resolve(message.result));
      } else {
        settle(() => reject(rebuildError(message.name, message.message)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the training worker exited with code ${code} before returning a model`))),
    );
  });
}
