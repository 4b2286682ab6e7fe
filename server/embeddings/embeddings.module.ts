// The embeddings module: media embedding by route and by the `media_embed` batch queue. The embedding
// providers themselves (local word vectors, OpenAI-compatible API, ONNX, chosen by config and the
// `embedding_provider` flag, metered into the cost ledger) are the engine's `embeddings` service.
import { QueueContracts } from '../jobs/queues.js';
import type { RegisterModule } from '../module-context.js';
import { embeddingsRoutes } from './embeddings.route.js';

export const registerEmbeddingsModule: RegisterModule<'mediaEmbeddings' | 'jobs' | 'log'> = async (
  app,
  { mediaEmbeddings, jobs, log },
) => {
  jobs.define({
    queue: QueueContracts.mediaEmbed,
    // One batch running and at most one waiting: a second request while one waits changes nothing.
    options: { policy: 'stately', retryLimit: 3, retryBackoff: true, expireInSeconds: 1800 },
    handler: async (_data, job) => {
      const result = await mediaEmbeddings.runBatch(job.id);
      log.info({ queue: QueueContracts.mediaEmbed.name, jobId: job.id, ...result }, 'media embedding batch done');
    },
  });
  await app.register(embeddingsRoutes, { media: mediaEmbeddings });
};
