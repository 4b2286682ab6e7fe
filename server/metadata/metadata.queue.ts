// The `metadata_fetch` queue: one job per work (singletonKey = media id, so a refresh asked for twice
// while waiting runs once), retried with exponential backoff when a source fails or times out.
import type { FastifyBaseLogger } from 'fastify';
import type { QueueDefinition } from '../jobs/job-queue.js';
import { METADATA_FETCH_QUEUE, type MetadataService } from './metadata.service.js';

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

export function metadataFetchQueue(
  service: MetadataService,
  log: FastifyBaseLogger,
  options: MetadataQueueOptions = DEFAULT_METADATA_QUEUE_OPTIONS,
): QueueDefinition {
  return {
    name: METADATA_FETCH_QUEUE,
    options: { policy: 'stately', retryBackoff: true, ...options },
    handler: async (data, job) => {
      const mediaId = data.mediaId;
      if (typeof mediaId !== 'string') throw new Error(`metadata_fetch job ${job.id} has no mediaId`);
      const result = await service.fetchAndMerge(mediaId);
      log.info({ mediaId, outcome: result.outcome, retryCount: job.retryCount }, 'metadata fetched');
    },
  };
}
