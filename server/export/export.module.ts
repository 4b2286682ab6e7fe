// The export module: GET /api/v2/users/me/export and the `member_export` queue whose worker writes large
// exports to object storage. Registered after the connectors (object storage) and explain (cache) modules.
import type { RegisterModule } from '../module-context.js';
import { cachedExplanationsOf } from './cached-explanations.js';
import { ExportStorage } from './export-storage.js';
import { ExportRepository } from './export.repository.js';
import { exportRoutes } from './export.route.js';
import { DEFAULT_EXPORT_LIMITS, ExportService, isExportJobData, MEMBER_EXPORT_QUEUE } from './export.service.js';

export const registerExportModule: RegisterModule = async (app, { db, jobs, log }) => {
  const exports = new ExportService({
    db,
    repository: new ExportRepository(db),
    jobs,
    storage: new ExportStorage(app.objectStorage),
    cachedExplanations: cachedExplanationsOf(app.explanations),
    limits: DEFAULT_EXPORT_LIMITS,
  });
  jobs.define({
    name: MEMBER_EXPORT_QUEUE,
    // Storage or the database may be briefly down: retry with backoff (30 s, 60 s, 120 s).
    options: { policy: 'standard', retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 900 },
    handler: async (data) => {
      if (!isExportJobData(data)) throw new Error('member_export job without a memberId and exportId');
      const written = await exports.runJob(data);
      log.info({ memberId: data.memberId, exportId: data.exportId, ...written }, 'member export written');
    },
  });
  await app.register(exportRoutes, { exports });
};
