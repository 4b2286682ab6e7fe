// The metadata module: TMDb, MusicBrainz and Open Library fetchers behind a Postgres cache, the
// `metadata_fetch` queue that merges their records into the catalogue, and the operators' routes.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { RegisterModule } from '../module-context.js';
import { CachedUpstream } from './cached-upstream.js';
import { MetadataCacheRepository } from './metadata-cache.repository.js';
import { MusicBrainzClient, OpenLibraryClient, TmdbClient } from './metadata-clients.js';
import { metadataFetchQueue, type MetadataQueueOptions } from './metadata.queue.js';
import { metadataRoutes } from './metadata.route.js';
import { MetadataService } from './metadata.service.js';
import type { RateLimiter } from './rate-limiter.js';

export { METADATA_FETCH_QUEUE } from './metadata.service.js';

export interface MetadataModuleOptions {
  /** Per-request upstream timeout (default 10 s). */
  timeoutMs?: number;
  /** Retry policy of `metadata_fetch` (tests shorten the delays). */
  queue?: MetadataQueueOptions;
  /** MusicBrainz rate limiter (default: the process-wide one). */
  musicBrainzLimiter?: RateLimiter;
}

/** Builds the service and declares its queue; shared by the app and by tests that tune the options. */
export function createMetadataService(
  deps: { config: Config; db: Database; jobs: JobQueue; log: FastifyBaseLogger },
  options: MetadataModuleOptions = {},
): MetadataService {
  const cache = new MetadataCacheRepository(deps.db);
  const upstream = new CachedUpstream(cache, deps.config.metadata.cacheHours);
  const fetcherOptions = { timeoutMs: options.timeoutMs };
  const service = new MetadataService(
    deps.db,
    deps.jobs,
    {
      tmdb: new TmdbClient(deps.config.metadata, upstream, fetcherOptions),
      musicBrainz: new MusicBrainzClient(deps.config.metadata, upstream, {
        ...fetcherOptions,
        limiter: options.musicBrainzLimiter,
      }),
      openLibrary: new OpenLibraryClient(deps.config.metadata, upstream, fetcherOptions),
    },
    cache,
  );
  deps.jobs.define(metadataFetchQueue(service, deps.log, options.queue));
  return service;
}

export const registerMetadataModule: RegisterModule = async (app, context) => {
  const metadata = createMetadataService(context);
  await app.register(metadataRoutes, { metadata });
};
