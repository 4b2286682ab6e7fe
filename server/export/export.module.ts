// The export module: GET /api/v2/users/me/export and the `member_export` queue whose worker writes large
// exports to object storage (the service is built over the storage and the explanations cache).
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { exportRoutes } from './export.route.js';

export const registerExportModule: RegisterModule<'exports' | 'jobs' | 'log'> = async (app, { exports, jobs, log }) => {
  jobs.define({
    queue: QueueContracts.memberExport,
    // Storage or the database may be briefly down: retry with backoff (30 s, 60 s, 120 s).
    options: { policy: 'standard', retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 },
    handler: async (data) => {
      const written = await exports.runJob(data);
      log.info({ memberId: data.memberId, exportId: data.exportId, ...written }, 'member export written');
    },
  });
  await app.register(exportRoutes, { exports });
};
