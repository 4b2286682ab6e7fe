// The engine's job queues in one place: names, delivery policy, and what each is for.
import type PgBoss from 'pg-boss';

export const Queues = {
  /** Refresh `user_dwell_avg`; scheduled every 5 minutes. */
  dwellRefresh: 'dwell_refresh',
  /** Rebuild one member's taste vector after a profile, favorites or privacy change. */
  memberReembed: 'member_reembed',
} as const;
export type QueueName = (typeof Queues)[keyof typeof Queues];

export const queueOptions: Record<QueueName, Omit<PgBoss.Queue, 'name'>> = {
  // One refresh at a time and at most one waiting: overlapping refreshes would only repeat work.
  [Queues.dwellRefresh]: { policy: 'stately', retryLimit: 2, expireInSeconds: 600 },
  // Per member (singletonKey = member id): a save during a running re-embed queues exactly one more.
  [Queues.memberReembed]: { policy: 'stately', retryLimit: 5, retryBackoff: true, expireInSeconds: 300 },
};
