// Upstream GETs through the shared Postgres cache: a fresh entry answers without any HTTP call; a
// missing or expired one is fetched and stored. 404s are remembered too, for a shorter time, so an
// unknown id is not asked about again and again; failures are never cached (the next try asks again).
import type { MetadataSource } from '../../shared/schemas/metadata.js';
import type { MetadataCacheRepository } from './metadata-cache.repository.js';
import type { UpstreamResponse } from './upstream.js';

/** How long an upstream "not found" is believed, at most. */
export const NOT_FOUND_CACHE_HOURS = 1;

/** What the fetchers need from the cache: a GET that may be answered without asking upstream. */
export interface UpstreamGetter {
  get(
    source: MetadataSource,
    requestKey: string,
    fetchUpstream: () => Promise<UpstreamResponse>,
  ): Promise<UpstreamResponse>;
}

export class CachedUpstream implements UpstreamGetter {
  constructor(
    private readonly cache: MetadataCacheRepository,
    private readonly cacheHours: number,
  ) {}

  /**
   * `requestKey` identifies the request without credentials (path and query); `fetchUpstream` runs
   * only on a miss.
   */
  async get(
    source: MetadataSource,
    requestKey: string,
    fetchUpstream: () => Promise<UpstreamResponse>,
  ): Promise<UpstreamResponse> {
    const cached = await this.cache.findFresh(source, requestKey);
    if (cached) {
      await this.cache.countLookup(source, 'hit');
      return cached;
    }
    await this.cache.countLookup(source, 'miss');
    const response = await fetchUpstream();
    const hours = response.status === 404 ? Math.min(NOT_FOUND_CACHE_HOURS, this.cacheHours) : this.cacheHours;
    await this.cache.store(source, requestKey, response, Math.round(hours * 3600));
    return response;
  }
}
