// The ranking module: the Rank API (HTTP here, gRPC in server/grpc/), training-data export and
// training runs on the `ranker_train` queue, and the daily clearing of logged features past their
// retention. A fresh demo install queues its first training run at start-up, so the pipeline has a
// live model from the first minutes.
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { rankerTrainQueue } from './ranker-train.queue.js';
import { rankingRoutes } from './ranking.route.js';

/** Daily, apart from the nightly taste build (02:00 UTC) and the behavioural purge (03:30 UTC). */
const FEATURE_LOG_RETENTION_CRON = '15 4 * * *';

export const registerRankingModule: RegisterModule<
  'config' | 'jobs' | 'log' | 'models' | 'rank' | 'rankerTraining'
> = async (app, { config, jobs, log, models, rank, rankerTraining: training }) => {
  jobs.define({
    ...rankerTrainQueue,
    handler: async (data, job) => {
      const version = await training.train({
        window: {
          ...(data.from !== undefined ? { from: new Date(data.from) } : {}),
          ...(data.to !== undefined ? { to: new Date(data.to) } : {}),
        },
        params: data.params ?? {},
        actor: data.actor,
        ...(data.note !== undefined ? { note: data.note } : {}),
        bootstrap: data.bootstrap === true,
      });
      log.info(
        {
          queue: rankerTrainQueue.queue.name,
          jobId: job.id,
          model: version.id,
          status: version.status,
          metrics: version.metrics,
        },
        'ranker trained',
      );
    },
  });
  jobs.define({
    queue: QueueContracts.featureLogRetention,
    options: { policy: 'stately', retryLimit: 3, retryBackoff: true, expireInSeconds: 900 },
    cron: FEATURE_LOG_RETENTION_CRON,
    handler: async (_data, job) => {
      const cleared = await training.clearExpiredFeatureLogs(config.featureLog.retentionDays);
      log.info(
        { queue: QueueContracts.featureLogRetention.name, jobId: job.id, cleared },
        'logged impression features past retention cleared',
      );
    },
  });
  if (config.demoMembers > 0) {
    app.addHook('onReady', async () => {
      if ((await models.liveModel('ranker')) !== null) return;
      await jobs.send(
        rankerTrainQueue.queue,
        { bootstrap: true, actor: 'sde-bootstrap' },
        { singletonKey: 'bootstrap' },
      );
      log.info('no live ranking model: queued the first training run on the demo population');
    });
  }
  await app.register(rankingRoutes, { rank, training, jobs });
};
