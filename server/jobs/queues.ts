// Every job queue's name in one place, so producers and workers in different modules agree.
export const Queues = {
  /** Refresh `user_dwell_avg`; scheduled every 5 minutes. */
  dwellRefresh: 'dwell_refresh',
  /** Rebuild one member's taste vector after a profile, favorites or privacy change. */
  memberReembed: 'member_reembed',
} as const;
export type QueueName = (typeof Queues)[keyof typeof Queues];
