// The privacy module: members' per-group settings (REST and GraphQL), and the daily purge of
// behavioural events once an opt-out's grace period (SDE_BEHAVIOURAL_GRACE_DAYS) has passed.
import type { RegisterModule } from '../module-context.js';
import { registerPrivacyGraphql } from '../profiles/attributes.graphql.js';
import { PrivacyRepository } from './privacy.repository.js';
import { privacyRoutes } from './privacy.route.js';
import { PrivacyService } from './privacy.service.js';

/** Daily, outside the nightly taste build (02:00 UTC). */
export const BEHAVIOURAL_PURGE_QUEUE = 'privacy_behavioural_purge';
const BEHAVIOURAL_PURGE_CRON = '30 3 * * *';

export const registerPrivacyModule: RegisterModule = async (app, { config, db, jobs, log, memberChanges }) => {
  const privacy = new PrivacyService(db, new PrivacyRepository(db), jobs, memberChanges, config.privacy);
  jobs.define({
    name: BEHAVIOURAL_PURGE_QUEUE,
    options: { policy: 'stately', retryLimit: 3, retryBackoff: true, expireInSeconds: 600 },
    cron: BEHAVIOURAL_PURGE_CRON,
    handler: async (_data, job) => {
      const deleted = await privacy.purgeExpiredBehaviouralEvents();
      log.info(
        { queue: BEHAVIOURAL_PURGE_QUEUE, jobId: job.id, deleted },
        'behavioural events of opted-out members purged',
      );
    },
  });
  await app.register(privacyRoutes, { privacy });
  await registerPrivacyGraphql(app, privacy);
};
