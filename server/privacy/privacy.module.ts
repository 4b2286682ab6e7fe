// The privacy module: members' per-group settings (REST and GraphQL), and the daily purge of
// behavioural events once an opt-out's grace period (SDE_BEHAVIOURAL_GRACE_DAYS) has passed.
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { registerPrivacyGraphql } from './privacy.graphql.js';
import { privacyRoutes } from './privacy.route.js';

/** Daily, outside the nightly taste build (02:00 UTC). */
const BEHAVIOURAL_PURGE_CRON = '30 3 * * *';

export const registerPrivacyModule: RegisterModule<'privacy' | 'jobs' | 'log'> = async (
  app,
  { privacy, jobs, log },
) => {
  jobs.define({
    queue: QueueContracts.privacyBehaviouralPurge,
    options: { policy: 'stately', retryLimit: 3, retryBackoff: true, expireInSeconds: 600 },
    cron: BEHAVIOURAL_PURGE_CRON,
    handler: async (_data, job) => {
      const deleted = await privacy.purgeExpiredBehaviouralEvents();
      log.info(
        { queue: QueueContracts.privacyBehaviouralPurge.name, jobId: job.id, deleted },
        'behavioural events of opted-out members purged',
      );
    },
  });
  await app.register(privacyRoutes, { privacy });
  await registerPrivacyGraphql(app, privacy);
};
