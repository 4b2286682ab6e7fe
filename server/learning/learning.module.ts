// The learning module: the learner's admin routes and its scheduled cycle on the `learner_run` queue
// (SDE_LEARNER_CRON, not installed when SDE_LEARNER_ENABLED=false). Stately: at most one run queued and
// one active across replicas; the learner's run lease also keeps it apart from POST /learner/run.
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { LEARNER_ACTOR, LEARNER_RUN_STALE_SECONDS } from './online-learner.service.js';
import { learnerRoutes } from './learner.route.js';

export const registerLearningModule: RegisterModule<'config' | 'jobs' | 'learner' | 'log'> = async (
  app,
  { config, jobs, learner, log },
) => {
  jobs.define({
    queue: QueueContracts.learnerRun,
    // Not retried: the next scheduled cycle is the retry, with fresher data.
    options: { policy: 'stately', retryLimit: 0, expireInSeconds: LEARNER_RUN_STALE_SECONDS },
    ...(config.learning.enabled ? { cron: config.learning.cron } : {}),
    handler: async (_data, job) => {
      const decisions = await learner.runOnce({ actor: LEARNER_ACTOR });
      log.info(
        {
          queue: QueueContracts.learnerRun.name,
          jobId: job.id,
          decisions: decisions.map((decision) => ({ kind: decision.kind, model: decision.modelId })),
        },
        'learner cycle done',
      );
    },
  });
  await app.register(learnerRoutes, { learner });
};
