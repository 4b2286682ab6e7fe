// Metadata through the public API, on each database, against local servers replaying the real samples:
// operators queue refreshes, the metadata_fetch job fetches and merges (year, aliases, genres, ISRCs),
// an unknown work upstream is recorded as not found without retries, the shared cache answers repeat
// requests without HTTP until entries expire, its hit ratio is visible to operators, and bad input is
// a 4xx naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config/config.js';
import { Queues } from '../../server/jobs/queues.js';
import { databaseKinds } from '../support/databases.js';
import {
  API_FIXTURES_DIR,
  metadataFixturesPresent,
  SAMPLE_IDS,
  startFakeMetadataApis,
  type FakeMetadataApis,
} from '../support/fake-metadata-apis.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const FILM = SAMPLE_IDS.imdb;
const RECORDING = `mb:recording:${SAMPLE_IDS.recording}`;
const RELEASE_GROUP = `mb:release-group:${SAMPLE_IDS.releaseGroup}`;
const BOOK = `ol:${SAMPLE_IDS.openLibraryWork}`;
const UNKNOWN_UPSTREAM = 'tt0000001';
const ARTIST = 'mb:artist:b8a7c51f-362c-4dcb-a259-bc6e0095f0a6';
const USER_AGENT = 'SDE-api-test/1.0 ( ops@example.org )';

describe.skipIf(!metadataFixturesPresent)(`metadata API (samples from ${API_FIXTURES_DIR})`, () => {
  describe.each(databaseKinds)('[%s]', (kind) => {
    let t: TestApp;
    let fake: FakeMetadataApis;
    let admin: { authorization: string };

    async function completedJobs(mediaId: string): Promise<number> {
      const { rows } = await t.scratch.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state = 'completed'`,
        [Queues.metadataFetch, mediaId],
      );
      return rows[0]!.n;
    }

    async function refreshAndWait(mediaIds: string[]): Promise<void> {
      const before = await Promise.all(mediaIds.map(completedJobs));
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v2/admin/metadata/refresh',
        headers: admin,
        payload: { mediaIds },
      });
      expect(response.statusCode, response.body).toBe(202);
      expect(response.json()).toMatchObject({ enqueued: mediaIds.length });
      for (const [index, mediaId] of mediaIds.entries()) {
        await waitFor(
          async () => ((await completedJobs(mediaId)) > before[index]! ? true : undefined),
          30_000,
          `the metadata_fetch job of ${mediaId}`,
        );
      }
    }

    async function metadataOf(mediaId: string) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v2/admin/metadata/${mediaId}`, headers: admin });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    }

    beforeAll(async () => {
      fake = await startFakeMetadataApis();
      const metadata: Config['metadata'] = fake.metadataConfig({
        tmdbUrl: '',
        tmdbApiKey: '0123456789abcdef0123456789abcdef',
        musicBrainzUrl: '',
        musicBrainzUserAgent: USER_AGENT,
        openLibraryUrl: '',
        cacheHours: 24,
      });
      t = await startTestApp(kind, { fastJobs: true, config: { metadata } });
      admin = bearer(await t.token('admin'));
      // media_external_ids belongs to the catalogue module; stand one up when its migration is not here yet.
      await t.scratch.db.query(`
        DO $$ BEGIN
          IF to_regclass('media_external_ids') IS NULL THEN
            CREATE TABLE media_external_ids (
              media_id text NOT NULL REFERENCES media (id), scheme text NOT NULL, value text NOT NULL,
              PRIMARY KEY (scheme, value, media_id));
          END IF;
        END $$`);
      await t.scratch.db.query(
        `INSERT INTO media (id, kind, title, year, metadata) VALUES
           ($1, 'film', 'Fight Club', NULL, '{"curated": {"by": "seed"}, "genres": ["Cult"]}'),
           ($2, 'recording', 'Thinking Out Loud', NULL, '{}'),
           ($3, 'release_group', 'Dark Side of the Moon', NULL, '{}'),
           ($4, 'book', 'Selected aspects of Montana water law', NULL, '{}'),
           ($5, 'film', 'A film TMDb does not know', 2001, '{}'),
           ($6, 'artist', 'Ed Sheeran', NULL, '{}')`,
        [FILM, RECORDING, RELEASE_GROUP, BOOK, UNKNOWN_UPSTREAM, ARTIST],
      );
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });

    it('fetches and merges each source into the catalogue row', async () => {
      await refreshAndWait([FILM, RECORDING, RELEASE_GROUP, BOOK]);

      const film = await metadataOf(FILM);
      expect(film).toMatchObject({ mediaId: FILM, kind: 'film', title: 'Fight Club', year: 1999 });
      expect(film.metadata).toMatchObject({
        curated: { by: 'seed' },
        genres: ['Cult', 'Drama', 'Thriller', 'Comedy'],
        language: 'en',
        runtimeMinutes: 139,
        externalIds: { tmdb: '550', imdb: FILM },
        sources: { tmdb: { outcome: 'merged', sourceId: '550' } },
      });
      expect(film.metadata.synopsis).toMatch(/^A ticking-time-bomb insomniac/);

      const recording = await metadataOf(RECORDING);
      expect(recording).toMatchObject({ year: 2014, aliases: ['Thinking Out Loud’'] });
      expect(recording.metadata).toMatchObject({
        isrcs: ['GBAHS1400099'],
        genres: ['pop', 'blue-eyed soul'],
        sources: { musicbrainz: { outcome: 'merged', sourceId: SAMPLE_IDS.recording } },
      });
      const { rows: isrcs } = await t.scratch.db.query(`SELECT * FROM media_external_ids WHERE media_id = $1`, [
        RECORDING,
      ]);
      expect(JSON.stringify(isrcs)).toContain('GBAHS1400099');

      // The catalogue's own title stays; the source's differs, so it becomes an alias.
      const album = await metadataOf(RELEASE_GROUP);
      expect(album).toMatchObject({
        title: 'Dark Side of the Moon',
        year: 1973,
        aliases: ['The Dark Side of the Moon'],
      });

      const book = await metadataOf(BOOK);
      expect(book).toMatchObject({ year: 1978 });
      expect(book.metadata.genres).toEqual(['Water', 'Water rights', 'Law and legislation', 'Riparian rights']);
      expect(book.metadata.sources.openlibrary.outcome).toBe('merged');

      // MusicBrainz got the configured User-Agent; TMDb the key as a query parameter.
      const musicBrainzCalls = fake.requests.filter((r) => r.api === 'musicbrainz');
      expect(musicBrainzCalls.length).toBeGreaterThanOrEqual(2);
      expect(new Set(musicBrainzCalls.map((r) => r.headers['user-agent']))).toEqual(new Set([USER_AGENT]));
      expect(fake.requests.filter((r) => r.api === 'tmdb').every((r) => r.url.includes('api_key='))).toBe(true);
    });

    it('records a work the source does not know as not found, without retrying', async () => {
      await refreshAndWait([UNKNOWN_UPSTREAM]);
      const unknown = await metadataOf(UNKNOWN_UPSTREAM);
      expect(unknown.year).toBe(2001);
      expect(unknown.metadata.sources.tmdb).toMatchObject({ outcome: 'not_found' });
      const { rows } = await t.scratch.db.query<{ retry_count: number }>(
        `SELECT retry_count FROM pgboss.job WHERE name = $1 AND singleton_key = $2`,
        [Queues.metadataFetch, UNKNOWN_UPSTREAM],
      );
      expect(rows).toEqual([{ retry_count: 0 }]);
    });

    it('answers repeat fetches from the shared cache until entries expire, and reports the hit ratio', async () => {
      const tmdbCalls = () => fake.requests.filter((r) => r.api === 'tmdb').length;
      const cacheStats = async () => {
        const response = await t.app.inject({ method: 'GET', url: '/api/v2/admin/metadata/cache', headers: admin });
        expect(response.statusCode).toBe(200);
        return response.json().sources as Array<{
          source: string;
          hits: number;
          misses: number;
          hitRatio: number | null;
          entries: number;
          expired: number;
        }>;
      };
      const before = tmdbCalls();
      const tmdbBefore = (await cacheStats()).find((s) => s.source === 'tmdb')!;

      await refreshAndWait([FILM]);
      expect(tmdbCalls()).toBe(before);
      const afterHit = (await cacheStats()).find((s) => s.source === 'tmdb')!;
      expect(afterHit.hits).toBe(tmdbBefore.hits + 2); // find + details
      expect(afterHit.misses).toBe(tmdbBefore.misses);
      expect(afterHit.hitRatio).toBeCloseTo(afterHit.hits / (afterHit.hits + afterHit.misses));
      expect(afterHit.expired).toBe(0);

      await t.scratch.db.query(
        `UPDATE metadata_cache SET expires_at = now() - interval '1 second'
          WHERE source = 'tmdb' AND (request_key LIKE $1 OR request_key LIKE $2)`,
        [`/find/${FILM}?%`, `/movie/${SAMPLE_IDS.tmdb}?%`],
      );
      expect((await cacheStats()).find((s) => s.source === 'tmdb')!.expired).toBe(2);
      await refreshAndWait([FILM]);
      expect(tmdbCalls()).toBe(before + 2);
      const afterExpiry = (await cacheStats()).find((s) => s.source === 'tmdb')!;
      expect(afterExpiry).toMatchObject({ misses: afterHit.misses + 2, expired: 0 });

      const sources = await cacheStats();
      expect(sources.map((s) => s.source)).toEqual(['tmdb', 'musicbrainz', 'openlibrary']);
      expect(sources.find((s) => s.source === 'musicbrainz')).toMatchObject({
        entries: 2,
        hits: 0,
        misses: 2,
        hitRatio: 0,
      });
    });

    it.each([
      ['an empty list', { mediaIds: [] }, 400, 'body.mediaIds'],
      ['a malformed id', { mediaIds: [FILM, 'tt12'] }, 400, 'body.mediaIds[1]'],
      ['an unknown namespace', { mediaIds: ['mb:work:b8a7c51f-362c-4dcb-a259-bc6e0095f0a6'] }, 400, 'body.mediaIds[0]'],
      [
        'too many ids',
        { mediaIds: Array.from({ length: 501 }, (_, i) => `tt${String(i).padStart(7, '0')}`) },
        400,
        'body.mediaIds',
      ],
      ['a duplicate id', { mediaIds: [FILM, FILM] }, 400, 'body.mediaIds'],
      ['an unknown field', { mediaIds: [FILM], force: true }, 400, 'body.force'],
      ['ids as a string', { mediaIds: FILM }, 400, 'body.mediaIds'],
      [
        'an id not in the catalogue',
        { mediaIds: [FILM, BOOK, 'tt7654321'] },
        422,
        'body.mediaIds[2]: no media with id tt7654321',
      ],
      ['an artist', { mediaIds: [ARTIST] }, 422, 'body.mediaIds[0]: mb:artist:'],
    ])('refuses a refresh with %s', async (_name, payload, status, message) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v2/admin/metadata/refresh',
        headers: admin,
        payload,
      });
      expect(response.statusCode).toBe(status);
      expect(response.json().message).toMatch(new RegExp(`^${message.replace(/[[\]]/g, '\\$&')}`));
    });

    it('answers 404 naming an unknown id and 400 for a malformed one', async () => {
      const unknown = await t.app.inject({ method: 'GET', url: '/api/v2/admin/metadata/tt7654321', headers: admin });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toBe('params.mediaId: no media with id tt7654321 in the catalogue');
      const malformed = await t.app.inject({ method: 'GET', url: '/api/v2/admin/metadata/not-an-id', headers: admin });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().message).toMatch(/^params\.mediaId /);
    });

    it('keeps the metadata routes for operators', async () => {
      const member = await t.app.inject({
        method: 'POST',
        url: '/api/v2/admin/metadata/refresh',
        headers: bearer(await t.token('member')),
        payload: { mediaIds: [FILM] },
      });
      expect(member.statusCode).toBe(403);
    });
  });
});
