// The nightly taste builder (02:00 UTC, also on demand): embeds favorited media that lack an embedding
// from the active text model, refits the collaborative item factors, rebuilds every member's vector in
// batches with the new model (members with favorites off get none: rebuildMember removes theirs), and
// stores a data-quality check (≥ 95 % of shareable favorites placed by a factor or an embedding). Provider calls go through the metered embeddings service, so their token
// usage lands in the cost ledger with this job's id.
import { type MediaEmbeddingRepository } from '../embeddings/media-embedding.repository.js';
import type { EmbeddingsService } from '../embeddings/embeddings.service.js';
import { mediaText } from '../embeddings/media-text.js';
import type { JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import type { TasteQualityCheck } from '../../shared/schemas/taste.js';
import { type TasteRepository } from './taste.repository.js';
import type { TasteService } from './taste.service.js';

export const TASTE_REBUILD_CRON = '0 2 * * *';
/** Share of shareable favorites the model must place for the check to pass. */
export const QUALITY_THRESHOLD = 0.95;
/** Members rebuilt per batch, and media embedded per provider call. */
const MEMBER_BATCH = 200;
const MEDIA_BATCH = 64;
const EMBED_CALL_SITE = 'taste_rebuild';

export const tasteRebuildQueue = {
  queue: QueueContracts.tasteRebuild,
  // One run at a time and at most one waiting: asking again while one waits changes nothing.
  options: { policy: 'stately', retryLimit: 2, retryBackoff: true, expireInSeconds: 3600 },
  cron: TASTE_REBUILD_CRON,
} satisfies QueueDefinition<typeof QueueContracts.tasteRebuild>;

/** (withFactor + withEmbeddingOnly) / favorites; an empty catalogue of favorites is fully covered. */
export function coverageOf(counts: { favorites: number; withFactor: number; withEmbeddingOnly: number }): number {
  return counts.favorites === 0 ? 1 : (counts.withFactor + counts.withEmbeddingOnly) / counts.favorites;
}

export class TasteBuilderService {
  constructor(
    private readonly repository: TasteRepository,
    private readonly media: MediaEmbeddingRepository,
    private readonly jobs: JobQueue,
    private readonly embeddings: EmbeddingsService,
    private readonly taste: TasteService,
  ) {}

  /** Queues a run now; null when one is already waiting. */
  requestRebuild(): Promise<string | null> {
    return this.jobs.send(QueueContracts.tasteRebuild, {});
  }

  latestQualityCheck(): Promise<TasteQualityCheck | null> {
    return this.repository.latestQualityCheck();
  }

  async run(jobId: string): Promise<TasteQualityCheck> {
    const provider = await this.embeddings.provider(EMBED_CALL_SITE, { jobId });
    let mediaEmbedded = 0;
    for (;;) {
      const batch = await this.repository.favoritedMediaLackingEmbedding(provider.id, MEDIA_BATCH);
      if (batch.length === 0) break;
      const { vectors } = await provider.embed(batch.map((item) => mediaText(item)));
      for (const [i, item] of batch.entries()) await this.media.storeEmbedding(item.mediaId, vectors[i]!, provider.id);
      mediaEmbedded += batch.length;
    }
    const { modelId } = await this.taste.refitItemFactors();
    let membersRebuilt = 0;
    let after = '';
    for (;;) {
      const memberIds = await this.repository.memberIdsAfter(after, MEMBER_BATCH);
      if (memberIds.length === 0) break;
      for (const memberId of memberIds) {
        const result = await this.taste.rebuildMember(memberId, jobId);
        if (result.outcome === 'built') membersRebuilt++;
      }
      after = memberIds[memberIds.length - 1]!;
    }
    const counts = await this.repository.favoriteCoverage(modelId, provider.id);
    const coverage = coverageOf(counts);
    const check: TasteQualityCheck = {
      modelId,
      embeddingModel: provider.id,
      checkedAt: new Date().toISOString(),
      ...counts,
      coverage,
      threshold: QUALITY_THRESHOLD,
      passed: coverage >= QUALITY_THRESHOLD,
      membersRebuilt,
      mediaEmbedded,
    };
    await this.repository.saveQualityCheck(check);
    return check;
  }
}
