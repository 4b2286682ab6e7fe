// The taste module: members' 256-d taste vectors (server/taste/taste-model.ts), rebuilt by the
// `member_reembed` worker whenever profiles, favorites or privacy change, and `POST /api/v2/embed`
// for ad-hoc profiles; the nightly `taste_rebuild` builder (02:00 UTC, POST /api/v2/admin/taste/rebuild,
// or once at a demo install's first start) refits item factors and rebuilds every vector. Profiles and
// favorites enqueue through `requestReembed`.
import type { RegisterModule } from '../module-context.js';
import { reembedQueue } from './reembed.queue.js';
import { tasteRebuildQueue } from './taste-builder.service.js';
import { tasteRoutes } from './taste.route.js';

export const registerTasteModule: RegisterModule<
  'config' | 'db' | 'jobs' | 'log' | 'memberChanges' | 'taste' | 'tasteBuilder'
> = async (app, { config, db, jobs, log, memberChanges, taste, tasteBuilder: builder }) => {
  jobs.define({
    ...reembedQueue,
    handler: async ({ memberId }, job) => {
      const result = await taste.rebuildMember(memberId, job.id);
      memberChanges.publish({ memberId, reason: 'taste_vector' });
      log.info({ queue: reembedQueue.queue.name, jobId: job.id, memberId, ...result }, 'taste vector rebuilt');
    },
  });
  jobs.define({
    ...tasteRebuildQueue,
    handler: async (_data, job) => {
      const check = await builder.run(job.id);
      log.info({ queue: tasteRebuildQueue.queue.name, jobId: job.id, ...check }, 'taste builder run done');
      if (!check.passed) log.warn({ coverage: check.coverage }, 'taste data-quality check failed');
    },
  });
  if (config.demoMembers > 0) {
    // The demo population is loaded straight into the tables, so nobody's profile save queued a
    // re-embed: build every vector once, or retrieval would have no taste source until 02:00.
    app.addHook('onReady', async () => {
      const { rows } = await db.query<{ present: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM user_taste_vectors) AS present',
      );
      if (rows[0]?.present) return;
      await builder.requestRebuild();
      log.info('demo population without taste vectors: queued the taste builder');
    });
  }
  await app.register(tasteRoutes, { taste, builder });
};
