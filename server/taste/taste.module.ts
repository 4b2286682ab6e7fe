// The taste module: members' 256-d taste vectors (server/taste/taste-model.ts), rebuilt by the
// `member_reembed` worker whenever profiles, favorites or privacy change, and `POST /api/v2/embed`
// for ad-hoc profiles; the nightly `taste_rebuild` builder (02:00 UTC, or POST /api/v2/admin/taste/rebuild)
// refits item factors and rebuilds every vector. Profiles and favorites enqueue through `requestReembed`.
import type { RegisterModule } from '../module-context.js';
import { reembedQueue } from './reembed.queue.js';
import { TasteBuilderService, tasteRebuildQueue } from './taste-builder.service.js';
import { tasteRoutes } from './taste.route.js';
import { TasteService } from './taste.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Taste vectors; the gRPC EmbedBatch service embeds through the same instance as POST /api/v2/embed. */
    taste: TasteService;
  }
}

export const registerTasteModule: RegisterModule = async (app, { db, jobs, log, memberChanges }) => {
  const taste = new TasteService(db, app.embeddings);
  app.decorate('taste', taste);
  jobs.define({
    ...reembedQueue,
    handler: async (data, job) => {
      const memberId = data.memberId;
      if (typeof memberId !== 'string' || memberId === '') {
        // A malformed job can never succeed; retrying it would only burn attempts.
        log.warn({ queue: reembedQueue.name, jobId: job.id, data }, 'member_reembed job without a memberId; dropped');
        return;
      }
      const result = await taste.rebuildMember(memberId, job.id);
      memberChanges.publish({ memberId, reason: 'taste_vector' });
      log.info({ queue: reembedQueue.name, jobId: job.id, memberId, ...result }, 'taste vector rebuilt');
    },
  });
  const builder = new TasteBuilderService(db, jobs, app.embeddings, taste);
  jobs.define({
    ...tasteRebuildQueue,
    handler: async (_data, job) => {
      const check = await builder.run(job.id);
      log.info({ queue: tasteRebuildQueue.name, jobId: job.id, ...check }, 'taste builder run done');
      if (!check.passed) log.warn({ coverage: check.coverage }, 'taste data-quality check failed');
    },
  });
  await app.register(tasteRoutes, { taste, builder });
};
