// Embedding catalogue media: one item on request, or every item lacking an embedding from the active
// model in batches through the `media_embed` queue. An item already embedded by the same model id is
// skipped without calling the provider, so re-running either costs nothing.
import type { Database } from '../db/database.js';
import { DomainError, notFound } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import type { MediaEmbedResult } from '../../shared/schemas/embeddings.js';
import { EmbeddingProviderError } from './embedding-provider.js';
import type { EmbeddingsService } from './embeddings.service.js';
import type { MediaEmbeddingRepository } from './media-embedding.repository.js';
import { mediaText } from './media-text.js';

export const MEDIA_EMBED_BATCH = 256;
const CALL_SITE = 'media_embed';

export class MediaEmbeddingService {
  constructor(
    private readonly db: Database,
    private readonly repository: MediaEmbeddingRepository,
    private readonly jobs: JobQueue,
    private readonly embeddings: EmbeddingsService,
  ) {}

  async embedOne(mediaId: string, memberId?: string): Promise<MediaEmbedResult> {
    const media = await this.repository.find(mediaId);
    if (!media) throw notFound('mediaId', `no media with id ${JSON.stringify(mediaId)}`);
    const provider = await this.embeddings.provider(CALL_SITE, { memberId });
    if (media.embeddingModel === provider.id) {
      return { mediaId, model: provider.id, dimensions: provider.dimensions, skipped: true };
    }
    let vectors: Float32Array[];
    try {
      ({ vectors } = await provider.embed([mediaText(media)]));
    } catch (error) {
      // The provider (an outside API) failed: a gateway error, not the server's own fault. Its own message
      // may quote the provider's answer, so it is logged (as the cause), not shown.
      if (error instanceof EmbeddingProviderError) {
        throw new DomainError('upstream_failed', 'the embedding provider failed; try again later', {
          topic: 'provider',
          cause: error,
        });
      }
      throw error;
    }
    await this.repository.storeEmbedding(mediaId, vectors[0]!, provider.id);
    return { mediaId, model: provider.id, dimensions: provider.dimensions, skipped: false };
  }

  /** Queues a batch run; null when one is already waiting (it will cover the same media). */
  requestEmbedMissing(): Promise<string | null> {
    return this.jobs.send(QueueContracts.mediaEmbed, {}, { singletonKey: 'embed-missing' });
  }

  /**
   * One batch: embeds up to `batchSize` media lacking the active model's embedding and, when the batch
   * was full, queues the next one, so a large catalogue is worked through in bounded jobs.
   */
  async runBatch(jobId: string, batchSize = MEDIA_EMBED_BATCH): Promise<{ embedded: number; more: boolean }> {
    const provider = await this.embeddings.provider(`${CALL_SITE}_batch`, { jobId });
    const media = await this.repository.lackingEmbedding(provider.id, batchSize);
    if (media.length === 0) return { embedded: 0, more: false };
    const { vectors } = await provider.embed(media.map(mediaText));
    await this.db.transaction(async (tx) => {
      for (const [index, item] of media.entries()) {
        await this.repository.storeEmbedding(item.id, vectors[index]!, provider.id, tx);
      }
    });
    const more = media.length === batchSize;
    if (more) await this.requestEmbedMissing();
    return { embedded: media.length, more };
  }
}
