// Metadata for catalogue works: fetch one work's record from the source its id belongs to and merge it
// into the row (the `metadata_fetch` job does this), queue refreshes for operators, and report the
// cache. Upstream trouble surfaces only as a failed job, which the queue retries; no member request
// ever waits on a metadata source.
import type { Database } from '../db/database.js';
import { invalid, notFound } from '../errors/domain-errors.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { QueueContracts } from '../jobs/queues.js';
import {
  METADATA_SOURCES,
  type MediaMetadata,
  type MetadataCacheStats,
  type MetadataRecord,
  type MetadataRefreshResponse,
} from '../../shared/schemas/metadata.js';
import type { MetadataCacheRepository } from './metadata-cache.repository.js';
import type { MusicBrainzClient, OpenLibraryClient, TmdbClient } from './metadata-clients.js';
import { metadataTargetOf, type MetadataTarget } from './media-ids.js';
import { markNotFound, mergeMetadata, newAliases } from './merge.js';
import type { MetadataRepository } from './metadata.repository.js';

export interface MetadataClients {
  tmdb: TmdbClient;
  musicBrainz: MusicBrainzClient;
  openLibrary: OpenLibraryClient;
}

export type FetchOutcome =
  | { outcome: 'merged'; record: MetadataRecord }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_media' }
  | { outcome: 'unsupported_id' };

export class MetadataService {
  constructor(
    private readonly db: Database,
    private readonly jobs: JobQueue,
    private readonly repository: MetadataRepository,
    private readonly clients: MetadataClients,
    private readonly cache: MetadataCacheRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** What the id's source says about it; null when the source does not know it. */
  fetchRecord(target: MetadataTarget): Promise<MetadataRecord | null> {
    switch (target.source) {
      case 'tmdb':
        return this.clients.tmdb.findByImdbId(target.imdbId);
      case 'openlibrary':
        return this.clients.openLibrary.work(target.workId);
      case 'musicbrainz':
        if (target.entity === 'recording') return this.clients.musicBrainz.recording(target.mbid);
        if (target.entity === 'release-group') return this.clients.musicBrainz.releaseGroup(target.mbid);
        throw new Error(`no MusicBrainz fetcher for ${target.entity}`);
    }
  }

  /**
   * Fetches and merges one work. Throws (UpstreamError) only for failures worth retrying; a work the
   * source does not know is recorded as `not_found` and the job completes.
   */
  async fetchAndMerge(mediaId: string): Promise<FetchOutcome> {
    const target = metadataTargetOf(mediaId);
    if (!target || (target.source === 'musicbrainz' && target.entity === 'artist')) {
      return { outcome: 'unsupported_id' };
    }
    if (!(await this.repository.find(mediaId))) return { outcome: 'unknown_media' };
    // Fetch outside the transaction: a slow upstream must not hold a row lock.
    const record = await this.fetchRecord(target);
    return this.db.transaction(async (tx) => {
      const row = await this.repository.find(mediaId, tx, true);
      if (!row) return { outcome: 'unknown_media' } as const;
      if (!record) {
        const metadata = markNotFound(row.metadata, target.source, this.now().toISOString());
        await this.repository.saveMerge(mediaId, { metadata, year: null, addAliases: [] }, tx);
        return { outcome: 'not_found' } as const;
      }
      await this.repository.saveMerge(
        mediaId,
        {
          metadata: mergeMetadata(row.metadata, record),
          year: record.year,
          addAliases: newAliases(row.title, row.aliases, record),
        },
        tx,
      );
      await this.repository.addExternalIds(mediaId, 'isrc', record.isrcs ?? [], tx);
      return { outcome: 'merged', record } as const;
    });
  }

  /** Queues one fetch per id; every id must be a catalogue work of a kind a fetcher serves. */
  async requestRefresh(mediaIds: readonly string[]): Promise<MetadataRefreshResponse> {
    mediaIds.forEach((mediaId, index) => {
      const target = metadataTargetOf(mediaId);
      if (target?.source === 'musicbrainz' && target.entity === 'artist') {
        throw invalid(
          `mediaIds[${index}]`,
          `${mediaId} is an artist; metadata is fetched for recordings and release groups only`,
        );
      }
    });
    const known = await this.repository.existing(mediaIds);
    const unknown = mediaIds.findIndex((mediaId) => !known.has(mediaId));
    if (unknown >= 0) {
      throw invalid(`mediaIds[${unknown}]`, `no media with id ${mediaIds[unknown]} in the catalogue`);
    }
    const jobIds = await this.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const mediaId of mediaIds) {
        const jobId = await this.jobs.send(QueueContracts.metadataFetch, { mediaId }, { singletonKey: mediaId, tx });
        if (jobId) ids.push(jobId);
      }
      return ids;
    });
    return { enqueued: jobIds.length, jobIds };
  }

  async get(mediaId: string): Promise<MediaMetadata> {
    const row = await this.repository.find(mediaId);
    if (!row) throw notFound('mediaId', `no media with id ${mediaId} in the catalogue`);
    return {
      mediaId: row.id,
      kind: row.kind,
      title: row.title,
      year: row.year,
      aliases: row.aliases,
      metadata: row.metadata,
    };
  }

  async cacheStats(): Promise<MetadataCacheStats> {
    return { sources: await this.cache.stats(METADATA_SOURCES) };
  }
}
