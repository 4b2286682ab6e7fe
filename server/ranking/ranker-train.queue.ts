// The training queue: one run active at a time (training is CPU-bound, on a worker thread), never
// retried automatically — a failed run is reported, and an operator decides whether to run it again.
import type { QueueDefinition } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';

export const rankerTrainQueue = {
  queue: QueueContracts.rankerTrain,
  options: { policy: 'singleton', retryLimit: 0, expireInSeconds: 3600 },
} satisfies QueueDefinition<typeof QueueContracts.rankerTrain>;
