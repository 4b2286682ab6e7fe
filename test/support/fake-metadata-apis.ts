// Local stand-ins for TMDb, MusicBrainz and Open Library on 127.0.0.1: they answer with the real
// sample responses in ../shared/fixtures/api (read at start, never copied into the repo), 404 for works
// they do not know, record every request, and can be told to fail (HTTP 500) or hang the next calls.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../../server/config/config.js';
import { REPO_ROOT } from './processes.js';
import { sharedFilesPresent } from './shared-files.js';

export const API_FIXTURES_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/api');

export const METADATA_FIXTURE_FILES = {
  tmdbMovie550: 'tmdb_movie_550.c-eg_movies_details.json',
  tmdbSearch: 'tmdb_search_movie.c-eg_search_movie.json',
  musicBrainzRecording: 'musicbrainz_ws2_recording.picard_recording.json',
  musicBrainzReleaseGroup: 'musicbrainz_ws2_release-group.picard_release_group.json',
  openLibraryWork: 'openlibrary_works_OL3616800W.work.json',
} as const;

/** False when ../shared (or one of the samples) is absent: the tests that replay them skip (fail under CI). */
export const metadataFixturesPresent = sharedFilesPresent(
  Object.values(METADATA_FIXTURE_FILES).map((file) => path.join(API_FIXTURES_DIR, file)),
);

export function readFixture(name: keyof typeof METADATA_FIXTURE_FILES): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(API_FIXTURES_DIR, METADATA_FIXTURE_FILES[name]), 'utf8')) as Record<
    string,
    unknown
  >;
}

// The ids the samples describe.
export const SAMPLE_IDS = {
  imdb: 'tt0137523',
  tmdb: 550,
  recording: 'cb2cc207-8125-445c-9ef9-6ea44eee959a',
  releaseGroup: 'f5093c06-23e3-404f-aeaa-40f72885ee3a',
  openLibraryWork: 'OL3616800W',
} as const;

export interface RecordedRequest {
  api: 'tmdb' | 'musicbrainz' | 'openlibrary';
  /** Path below the API's base URL, with the query. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

type Failure = 'http500' | 'hang';

export interface FakeMetadataApis {
  /** Base URLs to put into `config.metadata`. */
  metadataConfig(base: Config['metadata']): Config['metadata'];
  requests: RecordedRequest[];
  /** Requests whose path starts with `prefix` (e.g. `/musicbrainz/recording/`). */
  count(prefix: string): number;
  /** The next `times` requests whose path starts with `prefix` fail as told. */
  failNext(prefix: string, times: number, failure: Failure): void;
  close(): Promise<void>;
}

export async function startFakeMetadataApis(): Promise<FakeMetadataApis> {
  const movie = readFixture('tmdbMovie550');
  const search = readFixture('tmdbSearch');
  const recording = readFixture('musicBrainzRecording');
  const releaseGroup = readFixture('musicBrainzReleaseGroup');
  const work = readFixture('openLibraryWork');
  // TMDb's /find answers with the same list items /search gives; the sample search's first result is
  // the film the IMDb id names.
  const searchResults = search.results as Array<{ id: number }>;
  const findResult = {
    movie_results: searchResults.filter((result) => result.id === SAMPLE_IDS.tmdb),
    person_results: [],
    tv_results: [],
    tv_episode_results: [],
    tv_season_results: [],
  };
  const emptyFind = { ...findResult, movie_results: [] };

  const requests: RecordedRequest[] = [];
  const failures: Array<{ prefix: string; remaining: number; failure: Failure }> = [];

  function answer(pathname: string, query: URLSearchParams): { status: number; body: unknown } {
    if (pathname === `/tmdb/movie/${SAMPLE_IDS.tmdb}`) return { status: 200, body: movie };
    if (pathname === '/tmdb/search/movie') return { status: 200, body: search };
    if (pathname.startsWith('/tmdb/find/') && query.get('external_source') === 'imdb_id') {
      return { status: 200, body: pathname === `/tmdb/find/${SAMPLE_IDS.imdb}` ? findResult : emptyFind };
    }
    if (pathname === `/musicbrainz/recording/${SAMPLE_IDS.recording}`) return { status: 200, body: recording };
    if (pathname === `/musicbrainz/release-group/${SAMPLE_IDS.releaseGroup}`)
      return { status: 200, body: releaseGroup };
    if (pathname === `/openlibrary/works/${SAMPLE_IDS.openLibraryWork}.json`) return { status: 200, body: work };
    return { status: 404, body: { error: 'not found' } };
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const api = url.pathname.split('/')[1] as RecordedRequest['api'];
    requests.push({ api, url: `${url.pathname.slice(api.length + 1)}${url.search}`, headers: request.headers });
    const failure = failures.find((f) => f.remaining > 0 && url.pathname.startsWith(f.prefix));
    if (failure) {
      failure.remaining--;
      if (failure.failure === 'hang') return; // never answers; the client's timeout ends it
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"upstream exploded"}');
      return;
    }
    const { status, body } = answer(url.pathname, url.searchParams);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    requests,
    metadataConfig: (config) => ({
      ...config,
      tmdbUrl: `${base}/tmdb`,
      musicBrainzUrl: `${base}/musicbrainz`,
      openLibraryUrl: `${base}/openlibrary`,
    }),
    count: (prefix) => requests.filter((r) => `/${r.api}${r.url}`.startsWith(prefix)).length,
    failNext: (prefix, times, failure) => failures.push({ prefix, remaining: times, failure }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
