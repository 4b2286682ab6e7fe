// The re-embed queue: any change to what a member's taste vector is built from (profile, favorites,
// privacy) asks for one rebuild; the worker (taste.module.ts) rebuilds the vector with the current model.
import type { Queryable } from '../db/database.js';
import type { JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { QueueContracts, type ReembedReason } from '../jobs/queues.js';

/** Re-embeds one worker fetches per poll. */
export const REEMBED_BATCH_SIZE = 100;

export const reembedQueue = {
  queue: QueueContracts.memberReembed,
  // Per member (singletonKey = member id): a change during a running re-embed queues exactly one more.
  // pg-boss also takes at most one job per member into a batch, so the dedupe holds within batches.
  options: { policy: 'stately', retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
  // One job per 2-second poll drained ~0.5 re-embeds/s; a batch takes what queued up in between.
  // A re-embed takes milliseconds, so a full batch stays far inside the 300 s expiry (which pg-boss
  // applies to the whole batch).
  batchSize: REEMBED_BATCH_SIZE,
} satisfies QueueDefinition<typeof QueueContracts.memberReembed>;

/** Queues a rebuild of the member's vector, inside the caller's transaction when one is given. */
export function requestReembed(jobs: JobQueue, memberId: string, reason: ReembedReason, tx?: Queryable) {
  return jobs.send(QueueContracts.memberReembed, { memberId, reason }, { singletonKey: memberId, tx });
}
