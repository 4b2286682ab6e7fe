// The three fetchers: they build each source's URLs, send its credentials (TMDb key, MusicBrainz
// User-Agent), go through the shared cache, and normalise what comes back. A record of null means the
// source does not know the work (HTTP 404 or no match); transient failures throw UpstreamError.
import type { Config } from '../config/config.js';
import type { MetadataRecord } from '../../shared/schemas/metadata.js';
import type { UpstreamGetter } from './cached-upstream.js';
import {
  fromMusicBrainzRecording,
  fromMusicBrainzReleaseGroup,
  fromOpenLibrarySearchDoc,
  fromOpenLibraryWork,
  fromTmdbListItem,
  fromTmdbMovie,
} from './normalise.js';
import { RateLimiter } from './rate-limiter.js';
import { DEFAULT_UPSTREAM_TIMEOUT_MS, getJson, type UpstreamResponse } from './upstream.js';

export interface FetcherOptions {
  /** Per-request timeout; tests shorten it. */
  timeoutMs?: number;
  /** Clock for `fetchedAt`. */
  now?: () => Date;
}

/** MusicBrainz allows one request per second per client: one limiter for the whole process. */
export const musicBrainzLimiter = new RateLimiter(1000);

/** TMDb v4 read tokens are JWTs (sent as a Bearer token); v3 keys are 32 hex chars (sent as api_key). */
export function isTmdbBearerToken(key: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(key);
}

/** When the answer left the source: the cache's fetch time for a cached answer, else now. */
function fetchedAt(response: UpstreamResponse, now: () => Date): string {
  return (response.cachedAt ?? now()).toISOString();
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** What every source's client holds: the metadata config, the shared cache, its timeout and clock. */
abstract class SourceClient {
  protected readonly timeoutMs: number;
  protected readonly now: () => Date;

  constructor(
    protected readonly config: Config['metadata'],
    protected readonly upstream: UpstreamGetter,
    options: FetcherOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }
}

export class TmdbClient extends SourceClient {
  /** GET `path?params` with the key added outside the cache key, so credentials never reach the cache. */
  private get(path: string, params: Record<string, string> = {}) {
    const requestKey = Object.keys(params).length > 0 ? `${path}?${query(params)}` : path;
    return this.upstream.get('tmdb', requestKey, () => {
      const key = this.config.tmdbApiKey;
      const bearer = key !== undefined && isTmdbBearerToken(key);
      const withKey = key !== undefined && !bearer ? { ...params, api_key: key } : params;
      const search = Object.keys(withKey).length > 0 ? `?${query(withKey)}` : '';
      return getJson('tmdb', `${this.config.tmdbUrl}${path}${search}`, {
        timeoutMs: this.timeoutMs,
        headers: bearer ? { authorization: `Bearer ${key}` } : {},
      });
    });
  }

  async movie(tmdbId: number): Promise<MetadataRecord | null> {
    const response = await this.get(`/movie/${tmdbId}`, { append_to_response: 'credits' });
    return response.status === 404 ? null : fromTmdbMovie(response.body, fetchedAt(response, this.now));
  }

  /** IMDb id → TMDb: a film's full details, or a show as `/find` describes it. */
  async findByImdbId(imdbId: string): Promise<MetadataRecord | null> {
    const response = await this.get(`/find/${imdbId}`, { external_source: 'imdb_id' });
    if (response.status === 404) return null;
    const found = response.body as { movie_results?: unknown[]; tv_results?: unknown[] } | null;
    const movie = found?.movie_results?.[0] as { id?: unknown } | undefined;
    if (movie && Number.isInteger(movie.id)) {
      const details = await this.movie(movie.id as number);
      if (!details) return null;
      return { ...details, externalIds: { ...details.externalIds, imdb: imdbId } };
    }
    const show = found?.tv_results?.[0];
    const record = show ? fromTmdbListItem(show, fetchedAt(response, this.now), 'tv') : null;
    return record ? { ...record, externalIds: { ...record.externalIds, imdb: imdbId } } : null;
  }

  async searchMovies(text: string): Promise<MetadataRecord[]> {
    const response = await this.get('/search/movie', { query: text });
    if (response.status === 404) return [];
    const results = (response.body as { results?: unknown[] } | null)?.results ?? [];
    const answeredAt = fetchedAt(response, this.now);
    return results.map((item) => fromTmdbListItem(item, answeredAt)).filter((r): r is MetadataRecord => r !== null);
  }
}

export class MusicBrainzClient extends SourceClient {
  readonly limiter: RateLimiter;

  constructor(
    config: Config['metadata'],
    upstream: UpstreamGetter,
    options: FetcherOptions & { limiter?: RateLimiter } = {},
  ) {
    super(config, upstream, options);
    this.limiter = options.limiter ?? musicBrainzLimiter;
  }

  // Cache hits skip the limiter: only real requests count against MusicBrainz's rate.
  private get(path: string, inc: string) {
    const requestKey = `${path}?inc=${inc}&fmt=json`;
    return this.upstream.get('musicbrainz', requestKey, () =>
      this.limiter.run(() =>
        getJson('musicbrainz', `${this.config.musicBrainzUrl}${requestKey}`, {
          timeoutMs: this.timeoutMs,
          headers: { 'user-agent': this.config.musicBrainzUserAgent },
        }),
      ),
    );
  }

  async recording(mbid: string): Promise<MetadataRecord | null> {
    const response = await this.get(`/recording/${mbid}`, 'artists+releases+isrcs+tags');
    return response.status === 404 ? null : fromMusicBrainzRecording(response.body, fetchedAt(response, this.now));
  }

  async releaseGroup(mbid: string): Promise<MetadataRecord | null> {
    const response = await this.get(`/release-group/${mbid}`, 'artists+tags');
    return response.status === 404 ? null : fromMusicBrainzReleaseGroup(response.body, fetchedAt(response, this.now));
  }
}

export class OpenLibraryClient extends SourceClient {
  private get(requestKey: string) {
    return this.upstream.get('openlibrary', requestKey, () =>
      getJson('openlibrary', `${this.config.openLibraryUrl}${requestKey}`, { timeoutMs: this.timeoutMs }),
    );
  }

  async work(workId: string): Promise<MetadataRecord | null> {
    const response = await this.get(`/works/${workId}.json`);
    return response.status === 404 ? null : fromOpenLibraryWork(response.body, fetchedAt(response, this.now));
  }

  async search(text: string): Promise<MetadataRecord[]> {
    const response = await this.get(`/search.json?${query({ q: text })}`);
    if (response.status === 404) return [];
    const docs = (response.body as { docs?: unknown[] } | null)?.docs ?? [];
    const answeredAt = fetchedAt(response, this.now);
    return docs.map((doc) => fromOpenLibrarySearchDoc(doc, answeredAt)).filter((r): r is MetadataRecord => r !== null);
  }
}
