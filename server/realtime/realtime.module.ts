// The realtime module: the user_behavior stream (server-sent events of swipes and matches from every
// replica, docs/realtime.md), this replica's one LISTEN feeding all its streams, the caps on open
// streams, and the hourly prune of events past the retention window (one run across replicas).
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { OpenStreams } from './open-streams.js';
import { realtimeRoutes } from './realtime.route.js';

/** Hourly, off the hour so it does not land with the other schedules. */
const PRUNE_CRON = '17 * * * *';
/** The reconnect delay clients are told (`retry:`). */
const CLIENT_RETRY_MS = 3_000;

export const registerRealtimeModule: RegisterModule<
  'userBehavior' | 'behaviorFeed' | 'jobs' | 'log' | 'config'
> = async (app, { userBehavior, behaviorFeed, jobs, log, config }) => {
  jobs.define({
    queue: QueueContracts.behaviorEventsPrune,
    options: { policy: 'stately', retryLimit: 2, expireInSeconds: 600 },
    cron: PRUNE_CRON,
    handler: async (_data, job) => {
      const deleted = await userBehavior.prune();
      log.info({ queue: QueueContracts.behaviorEventsPrune.name, jobId: job.id, deleted }, 'behaviour events pruned');
    },
  });

  await behaviorFeed.start();
  const streams = new OpenStreams({
    perCaller: config.realtime.maxStreamsPerCaller,
    perReplica: config.realtime.maxStreams,
  });
  // Open streams would hold the server's close for ever: they end first, then the feed stops listening.
  app.addHook('preClose', async () => streams.closeAll());
  app.addHook('onClose', () => behaviorFeed.close());

  await app.register(realtimeRoutes, {
    service: userBehavior,
    streams,
    sse: {
      heartbeatMs: config.realtime.heartbeatSeconds * 1000,
      maxBufferedBytes: config.realtime.maxBufferedBytes,
      retryMs: CLIENT_RETRY_MS,
    },
  });
};
