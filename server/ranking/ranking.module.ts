// The ranking module: pair features, the Rank API (HTTP here, gRPC in server/grpc/), training-data
// export and training runs on the `ranker_train` queue. A fresh demo install queues its first training
// run at start-up, so the pipeline has a live model from the first minutes.
import { PairFeaturesRepository } from '../features/pair-features.repository.js';
import { PairFeaturesService } from '../features/pair-features.service.js';
import type { RegisterModule } from '../module-context.js';
import { rankerTrainQueue } from './ranker-train.queue.js';
import { RankerTrainingService } from './ranker-training.service.js';
import { RankService } from './rank.service.js';
import { rankingRoutes } from './ranking.route.js';
import { TrainingDataRepository } from './training-data.repository.js';
import { ServedMembersRepository } from '../access/served-members.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Ranks candidates with the live model; the gRPC Ranking service uses the same instance. */
    rank: RankService;
  }
}

export const registerRankingModule: RegisterModule = async (app, { config, db, jobs, log }) => {
  const features = new PairFeaturesService(new PairFeaturesRepository(db));
  const rank = new RankService(features, app.models, new ServedMembersRepository(db));
  const training = new RankerTrainingService(new TrainingDataRepository(db), features, app.models);
  app.decorate('rank', rank);
  jobs.define({
    ...rankerTrainQueue,
    handler: async (data, job) => {
      const version = await training.train({
        window: {
          ...(typeof data.from === 'string' ? { from: new Date(data.from) } : {}),
          ...(typeof data.to === 'string' ? { to: new Date(data.to) } : {}),
        },
        params: data.params ?? {},
        actor: typeof data.actor === 'string' ? data.actor : 'unknown',
        ...(typeof data.note === 'string' ? { note: data.note } : {}),
        bootstrap: data.bootstrap === true,
      });
      log.info(
        {
          queue: rankerTrainQueue.name,
          jobId: job.id,
          model: version.id,
          status: version.status,
          metrics: version.metrics,
        },
        'ranker trained',
      );
    },
  });
  if (config.demoMembers > 0) {
    app.addHook('onReady', async () => {
      if ((await app.models.liveModel('ranker')) !== null) return;
      await jobs.send(
        rankerTrainQueue.name,
        { bootstrap: true, actor: 'sde-bootstrap' },
        { singletonKey: 'bootstrap' },
      );
      log.info('no live ranking model: queued the first training run on the demo population');
    });
  }
  await app.register(rankingRoutes, { rank, training, jobs });
};
