// The embeddings module: embedding providers (local word vectors, OpenAI-compatible API, ONNX), chosen
// by config and the `embedding_provider` flag, metered into the cost ledger; media embedding by route
// and by the `media_embed` batch queue. Other modules embed through `app.embeddings`.
import type { RegisterModule } from '../module-context.js';
import { EmbeddingsService } from './embeddings.service.js';
import { embeddingsRoutes } from './embeddings.route.js';
import { MEDIA_EMBED_QUEUE, MediaEmbeddingService } from './media-embedding.service.js';
import { assertConfiguredProviderUsable } from './provider-factory.js';

export { MEDIA_EMBED_QUEUE } from './media-embedding.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The engine's embedding providers: `await app.embeddings.provider('call_site')`. */
    embeddings: EmbeddingsService;
  }
}

export const registerEmbeddingsModule: RegisterModule = async (app, { config, db, jobs, log, flags }) => {
  // A configured provider that cannot work stops the start with the variable to fix.
  assertConfiguredProviderUsable(config);
  const embeddings = new EmbeddingsService(config, db, flags, log);
  app.decorate('embeddings', embeddings);
  const media = new MediaEmbeddingService(db, jobs, embeddings);
  jobs.define({
    name: MEDIA_EMBED_QUEUE,
    // One batch running and at most one waiting: a second request while one waits changes nothing.
    options: { policy: 'stately', retryLimit: 3, retryBackoff: true, expireInSeconds: 1800 },
    handler: async (_data, job) => {
      const result = await media.runBatch(job.id);
      log.info({ queue: MEDIA_EMBED_QUEUE, jobId: job.id, ...result }, 'media embedding batch done');
    },
  });
  await app.register(embeddingsRoutes, { media });
};
