// The `metadata_fetch` queue: one job per work (singletonKey = media id, so a refresh asked for twice
// while waiting runs once), retried with exponential backoff when a source fails or times out.
import type { FastifyBaseLogger } from 'fastify';
import type { QueueDefinition } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import type { MetadataService } from './metadata.service.js';

export interface MetadataQueueOptions {
  retryLimit: number;
  /** Seconds before the first retry; doubled for each next one. */
  retryDelay: number;
  expireInSeconds: number;
}

export const DEFAULT_METADATA_QUEUE_OPTIONS: MetadataQueueOptions = {
  retryLimit: 6,
  retryDelay: 30,
  expireInSeconds: 300,
};

/** The queue and its worker; tests shorten the retry delays. */
export function metadataFetchWorker(
  service: MetadataService,
  log: FastifyBaseLogger,
  options: MetadataQueueOptions = DEFAULT_METADATA_QUEUE_OPTIONS,
): QueueDefinition<typeof QueueContracts.metadataFetch> {
  return {
    queue: QueueContracts.metadataFetch,
    options: { policy: 'stately', retryBackoff: true, ...options },
    handler: async ({ mediaId }, job) => {
      const result = await service.fetchAndMerge(mediaId);
      log.info({ mediaId, outcome: result.outcome, retryCount: job.retryCount }, 'metadata fetched');
    },
  };
}
