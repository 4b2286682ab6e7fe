// Contract tests: each real sample response in ../shared/fixtures/api, served by a local HTTP server,
// comes out of its fetcher as the expected normalised record; the fetchers send the credentials each
// source expects (TMDb key as api_key or Bearer, MusicBrainz User-Agent) and space MusicBrainz calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config/config.js';
import type { UpstreamGetter } from '../../server/metadata/cached-upstream.js';
import { MusicBrainzClient, OpenLibraryClient, TmdbClient } from '../../server/metadata/metadata-clients.js';
import { RateLimiter, type LimiterClock } from '../../server/metadata/rate-limiter.js';
import {
  API_FIXTURES_DIR,
  metadataFixturesPresent,
  SAMPLE_IDS,
  startFakeMetadataApis,
  type FakeMetadataApis,
} from '../support/fake-metadata-apis.js';

const FETCHED_AT = '2026-11-02T10:00:00.000Z';
const now = () => new Date(FETCHED_AT);
// These tests are about mapping and headers, so every call goes upstream (the cache has its own tests).
const uncached: UpstreamGetter = { get: (_source, _key, fetchUpstream) => fetchUpstream() };

const BASE: Config['metadata'] = {
  tmdbUrl: 'unset',
  musicBrainzUrl: 'unset',
  musicBrainzUserAgent: 'SDE-contract-test/1.0 ( ops@example.org )',
  openLibraryUrl: 'unset',
  cacheHours: 24,
};

/** A limiter clock that jumps forward instead of sleeping. */
function jumpingClock(start: number): LimiterClock {
  let time = start;
  return { now: () => time, sleep: async (ms) => void (time += ms) };
}

describe.skipIf(!metadataFixturesPresent)(`metadata fetchers against the samples in ${API_FIXTURES_DIR}`, () => {
  let fake: FakeMetadataApis;
  let config: Config['metadata'];
  beforeAll(async () => {
    fake = await startFakeMetadataApis();
    config = fake.metadataConfig(BASE);
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('maps TMDb movie 550 to Fight Club (1999) with its genres, language and runtime', async () => {
    const tmdb = new TmdbClient(config, uncached, { now });
    expect(await tmdb.movie(SAMPLE_IDS.tmdb)).toEqual({
      source: 'tmdb',
      sourceId: '550',
      title: 'Fight Club',
      year: 1999,
      genres: ['Drama', 'Thriller', 'Comedy'],
      synopsis: expect.stringMatching(/^A ticking-time-bomb insomniac and a slippery soap salesman/),
      people: [],
      language: 'en',
      runtimeMinutes: 139,
      aliases: [],
      externalIds: { tmdb: '550', imdb: 'tt0137523' },
      fetchedAt: FETCHED_AT,
    });
  });

  it('finds a film by IMDb id, then fetches its details', async () => {
    const tmdb = new TmdbClient(config, uncached, { now });
    const before = fake.requests.length;
    const record = await tmdb.findByImdbId(SAMPLE_IDS.imdb);
    expect(record).toMatchObject({ sourceId: '550', title: 'Fight Club', year: 1999, runtimeMinutes: 139 });
    expect(fake.requests.slice(before).map((r) => r.url.split('?')[0])).toEqual(['/find/tt0137523', '/movie/550']);
    expect(await tmdb.findByImdbId('tt0000001')).toBeNull();
  });

  it('maps the TMDb search sample to records, genre ids named', async () => {
    const tmdb = new TmdbClient(config, uncached, { now });
    const results = await tmdb.searchMovies('fight club');
    expect(results).toHaveLength(20);
    expect(results[0]).toEqual({
      source: 'tmdb',
      sourceId: '550',
      title: 'Fight Club',
      year: 1999,
      genres: ['Drama', 'Thriller', 'Comedy'],
      synopsis: expect.stringMatching(/^A ticking-time-bomb/),
      people: [],
      language: 'en',
      aliases: [],
      externalIds: { tmdb: '550' },
      fetchedAt: FETCHED_AT,
    });
    // The second result's original title is Chinese: it becomes an alias.
    expect(results[1]).toMatchObject({ title: 'Zombie Fight Club', year: 2014, language: 'zh', aliases: ['屍城'] });
    expect(fake.requests.at(-1)!.url).toBe('/search/movie?query=fight+club');
  });

  it('sends a v3 TMDb key as api_key and a v4 token as a Bearer header', async () => {
    await new TmdbClient({ ...config, tmdbApiKey: '0123456789abcdef0123456789abcdef' }, uncached).movie(550);
    const v3 = fake.requests.at(-1)!;
    expect(new URL(v3.url, 'http://x').searchParams.get('api_key')).toBe('0123456789abcdef0123456789abcdef');
    expect(v3.headers.authorization).toBeUndefined();

    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl';
    await new TmdbClient({ ...config, tmdbApiKey: token }, uncached).movie(550);
    const v4 = fake.requests.at(-1)!;
    expect(v4.headers.authorization).toBe(`Bearer ${token}`);
    expect(v4.url).not.toContain('api_key');
  });

  it('maps the MusicBrainz recording sample: artist, performers, ISRC, tags, language', async () => {
    const musicBrainz = new MusicBrainzClient(config, uncached, {
      now,
      limiter: new RateLimiter(1000, jumpingClock(0)),
    });
    expect(await musicBrainz.recording(SAMPLE_IDS.recording)).toEqual({
      source: 'musicbrainz',
      sourceId: SAMPLE_IDS.recording,
      title: 'Thinking Out Loud',
      year: 2014,
      genres: ['pop', 'blue-eyed soul'],
      synopsis: null,
      people: [
        { name: 'Ed Sheeran', role: 'artist' },
        { name: 'Ed Sheeran', role: 'performer' },
        { name: 'Ed Sheeran', role: 'vocal (lead vocals)' },
        { name: 'Ed Sheeran', role: 'instrument (guitar family)' },
      ],
      language: 'en',
      runtimeMinutes: 5,
      isrcs: ['GBAHS1400099'],
      aliases: ['Thinking Out Loud’'],
      externalIds: { musicbrainz: SAMPLE_IDS.recording, musicbrainzArtists: ['b8a7c51f-362c-4dcb-a259-bc6e0095f0a6'] },
      fetchedAt: FETCHED_AT,
    });
    expect(fake.requests.at(-1)!.url).toBe(
      `/recording/${SAMPLE_IDS.recording}?inc=artists+releases+isrcs+tags&fmt=json`,
    );
  });

  it('maps the MusicBrainz release-group sample: The Dark Side of the Moon (1973)', async () => {
    const musicBrainz = new MusicBrainzClient(config, uncached, {
      now,
      limiter: new RateLimiter(1000, jumpingClock(0)),
    });
    expect(await musicBrainz.releaseGroup(SAMPLE_IDS.releaseGroup)).toEqual({
      source: 'musicbrainz',
      sourceId: SAMPLE_IDS.releaseGroup,
      title: 'The Dark Side of the Moon',
      year: 1973,
      genres: ['test', 'test2'],
      synopsis: null,
      people: [],
      language: 'en',
      aliases: [],
      externalIds: { musicbrainz: SAMPLE_IDS.releaseGroup, musicbrainzType: 'Album' },
      fetchedAt: FETCHED_AT,
    });
    expect(fake.requests.at(-1)!.url).toBe(`/release-group/${SAMPLE_IDS.releaseGroup}?inc=artists+tags&fmt=json`);
  });

  it('sends the configured User-Agent to MusicBrainz and spaces two calls by a second', async () => {
    const limiter = new RateLimiter(1000, jumpingClock(1_000_000));
    const musicBrainz = new MusicBrainzClient(config, uncached, { now, limiter });
    const before = fake.requests.length;
    await Promise.all([musicBrainz.recording(SAMPLE_IDS.recording), musicBrainz.releaseGroup(SAMPLE_IDS.releaseGroup)]);
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers['user-agent'])).toEqual([BASE.musicBrainzUserAgent, BASE.musicBrainzUserAgent]);
    expect(limiter.recentStarts).toEqual([1_000_000, 1_001_000]);
  });

  it('maps the Open Library work sample: title, first publish year, subjects, author key', async () => {
    const openLibrary = new OpenLibraryClient(config, uncached, { now });
    expect(await openLibrary.work(SAMPLE_IDS.openLibraryWork)).toEqual({
      source: 'openlibrary',
      sourceId: 'OL3616800W',
      title: 'Selected aspects of Montana water law',
      year: 1978,
      genres: ['Water', 'Water rights', 'Law and legislation', 'Riparian rights'],
      synopsis: null,
      people: [],
      language: null,
      aliases: [],
      externalIds: { openlibrary: 'OL3616800W', openlibraryAuthors: ['OL614999A'] },
      fetchedAt: FETCHED_AT,
    });
  });

  it('answers null for works a source does not know (HTTP 404)', async () => {
    const openLibrary = new OpenLibraryClient(config, uncached, { now });
    expect(await openLibrary.work('OL1W')).toBeNull();
    const musicBrainz = new MusicBrainzClient(config, uncached, {
      now,
      limiter: new RateLimiter(1000, jumpingClock(0)),
    });
    expect(await musicBrainz.recording('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('turns a 500 and a timeout into an UpstreamError naming the source', async () => {
    const openLibrary = new OpenLibraryClient(config, uncached, { now, timeoutMs: 200 });
    fake.failNext('/openlibrary/works/', 1, 'http500');
    await expect(openLibrary.work(SAMPLE_IDS.openLibraryWork)).rejects.toThrow('openlibrary: answered HTTP 500');
    fake.failNext('/openlibrary/works/', 1, 'hang');
    await expect(openLibrary.work(SAMPLE_IDS.openLibraryWork)).rejects.toThrow('openlibrary: no answer within 200 ms');
  });
});
