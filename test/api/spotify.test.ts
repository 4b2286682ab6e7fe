// The Spotify import end to end through the public API, against a local Spotify replaying the real
// sample responses: code exchange (refresh token sealed at rest), an ingest job that refreshes an
// expired access token once, waits out a 429, follows `next`, uploads every raw page through a signed
// URL, matches by ISRC and by artist + title, counts what it cannot match, and is idempotent when
// re-run. Spotify's refusals (bad code, HTML error pages, revoked grant) are clear errors.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/crypto/secret-box.js';
import { MemberChanges, type MemberChange } from '../../server/events/member-changes.js';
import { MediaRepository } from '../../server/media/media.repository.js';
import type { ConnectorStatus } from '../../shared/schemas/connectors.js';
import { MEDIA_LIMITS } from '../../shared/schemas/media.js';
import { databaseKinds } from '../support/databases.js';
import { FakeSpotify, GOOD_CODE, spotifyFixturesPresent } from '../support/fake-spotify.js';
import { freePort } from '../support/processes.js';
import { bearer, memberWithProfile, startTestApp, TEST_SECRETS_KEY, type TestApp } from '../support/test-app.js';

const IMPORT = '/api/v2/favorites/import/spotify';
const STATUS = '/api/v2/favorites/status';
const REDIRECT_URI = 'http://127.0.0.1:5173/connect/spotify/callback';
/** A good authorization code and the caller's redirect URI: what the console posts. */
const CONNECT = { code: GOOD_CODE, redirectUri: REDIRECT_URI };

const PERFECT_DUET = 'mb:recording:3f1c2a5e-0000-4000-8000-000000000001';
const SHAPE_OF_YOU = 'mb:recording:3f1c2a5e-0000-4000-8000-000000000002';

/** Pages 2 and 3 reuse the sample item: one the catalogue knows by artist + title only, one it lacks. */
const EXTRA_TRACKS = [
  { name: 'Shape of You', artist: 'Ed Sheeran', isrc: 'GBAHS1600463' },
  { name: 'Zyxwv Qponm (Basement Demo 7)', artist: 'Unknown Garage Band', isrc: 'ZZX9Q2600001' },
];

const box = new SecretBox(Buffer.from(TEST_SECRETS_KEY, 'base64'));

describe.skipIf(!spotifyFixturesPresent)('spotify import (needs ../shared/fixtures/api)', () => {
  describe.each(databaseKinds)('[%s]', (kind) => {
    let t: TestApp;
    let spotify: FakeSpotify;
    let root: string;

    beforeAll(async () => {
      spotify = await new FakeSpotify({
        extraTracks: EXTRA_TRACKS,
        expireFirstAccessToken: true,
        rateLimitOnce: true,
      }).start();
      root = mkdtempSync(path.join(tmpdir(), 'sde-spotify-storage-'));
      // The job uploads raw pages over HTTP to the server's own signed URLs, so the app listens.
      const port = await freePort();
      t = await startTestApp(kind, {
        fastJobs: true,
        config: {
          publicUrl: `http://127.0.0.1:${port}`,
          spotify: spotify.config,
          storage: { driver: 'local', root, uploadUrlTtlSeconds: 900 },
        },
      });
      await t.app.listen({ host: '127.0.0.1', port });
      const media = new MediaRepository(t.scratch.db);
      await media.upsert([
        { id: PERFECT_DUET, kind: 'recording', title: 'Perfect Duet', year: 2017, credit: 'Ed Sheeran & Beyoncé' },
        { id: SHAPE_OF_YOU, kind: 'recording', title: 'Shape of You', year: 2017, credit: 'Ed Sheeran' },
        // Same title, other kind and other artist: the artist + title match must not pick these.
        { id: 'tt9999901', kind: 'film', title: 'Shape of You', year: 2017 },
        {
          id: 'mb:recording:3f1c2a5e-0000-4000-8000-000000000003',
          kind: 'recording',
          title: 'Shape of You',
          year: 2019,
          credit: 'Harp Covers Orchestra',
        },
      ]);
      await media.addExternalIds([{ mediaId: PERFECT_DUET, scheme: 'isrc', value: 'GBAHS1701196' }]);
    });
    afterAll(async () => {
      await t?.close();
      await spotify?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const member = (subject: string) => memberWithProfile(t, subject);

    /** Starts an import: POST the authorization code (by default a good one) as these headers. */
    const postImport = (headers: Record<string, string>, payload: object = CONNECT, app = t.app) =>
      app.inject({ method: 'POST', url: IMPORT, headers, payload });

    async function statusOf(headers: Record<string, string>): Promise<ConnectorStatus> {
      const response = await t.app.inject({ method: 'GET', url: STATUS, headers });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ connectors: ConnectorStatus[] }>();
      expect(body.connectors.map((c) => c.connector)).toEqual(['spotify']);
      return body.connectors[0]!;
    }

    async function settled(headers: Record<string, string>): Promise<ConnectorStatus> {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const status = await statusOf(headers);
        if (status.state === 'done' || status.state === 'error') return status;
        if (Date.now() > deadline) throw new Error(`import still ${status.state}: ${JSON.stringify(status)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }

    async function favoritesOf(subject: string) {
      const { rows } = await t.scratch.db.query<{ media_id: string; source: string }>(
        `SELECT media_id, source FROM favorites WHERE member_id = $1 ORDER BY media_id`,
        [subject],
      );
      return rows;
    }

    async function sealedTokens(subject: string) {
      const { rows } = await t.scratch.db.query<{ refresh: Uint8Array; access: Uint8Array | null }>(
        `SELECT refresh_token_encrypted AS refresh, access_token_encrypted AS access
           FROM connector_accounts WHERE member_id = $1 AND connector = 'spotify'`,
        [subject],
      );
      return rows[0] ?? null;
    }

    it('reports idle for a member who never connected', async () => {
      const headers = await member('never-connected');
      expect(await statusOf(headers)).toEqual({
        connector: 'spotify',
        state: 'idle',
        counts: { pages: 0, tracksSeen: 0, matched: 0, favoritesAdded: 0, unmatched: 0, overLimit: 0 },
        lastSyncAt: null,
        lastError: null,
      });
    });

    it('imports saved tracks as favorites, end to end, and is idempotent when re-run', async () => {
      const headers = await member('listener');
      // Saving the profile queued a re-embed that no worker takes here; one waiting re-embed per member
      // absorbs later requests, so clear it to see the import's own request.
      await t.scratch.db.query(
        `DELETE FROM pgboss.job WHERE name = 'member_reembed' AND data->>'memberId' = 'listener'`,
      );
      // Another replica on the same database, to hear whether the import tells it of the new favorites.
      const replica = new MemberChanges({ db: t.scratch.db, log: { warn: () => undefined } });
      const heard: MemberChange[] = [];
      replica.subscribe((change) => heard.push(change));
      await replica.start();
      const accepted = await postImport(headers);
      expect(accepted.statusCode).toBe(202);
      expect(accepted.json()).toMatchObject({ connector: 'spotify', state: 'syncing', lastError: null });

      // The code exchange: form-encoded, Basic client auth, the caller's redirect URI.
      const exchange = spotify.tokenRequests.find((r) => r.grantType === 'authorization_code')!;
      expect(exchange.contentType).toBe('application/x-www-form-urlencoded');
      expect(exchange.authorization).toBe(
        `Basic ${Buffer.from(`${spotify.config.clientId}:${spotify.config.clientSecret}`).toString('base64')}`,
      );
      expect(exchange.form.get('code')).toBe(GOOD_CODE);
      expect(exchange.form.get('redirect_uri')).toBe(REDIRECT_URI);

      // The refresh token is sealed at rest: not in clear, opens only under its member's context.
      const sealed = (await sealedTokens('listener'))!;
      const refreshToken = spotify.codeResponse.refresh_token!;
      expect(Buffer.from(sealed.refresh).includes(Buffer.from(refreshToken))).toBe(false);
      expect(box.open(sealed.refresh, 'spotify:refresh:listener')).toBe(refreshToken);
      expect(() => box.open(sealed.refresh, 'spotify:refresh:someone-else')).toThrow();

      const done = await settled(headers);
      expect(done).toMatchObject({
        state: 'done',
        counts: { pages: 3, tracksSeen: 3, matched: 2, favoritesAdded: 2, unmatched: 1, overLimit: 0 },
        lastError: null,
      });
      // The pages that added favorites told every replica, so their cached explanations of the member drop.
      await replica.close();
      expect(heard).toContainEqual({ memberId: 'listener', reason: 'favorites' });
      expect(Date.parse(done.lastSyncAt!)).toBeGreaterThan(Date.now() - 120_000);
      expect(await favoritesOf('listener')).toEqual([
        { media_id: PERFECT_DUET, source: 'spotify' },
        { media_id: SHAPE_OF_YOU, source: 'spotify' },
      ]);

      // The expired access token was refreshed exactly once; the 429 was waited out and the same page
      // asked again; `next` was followed to the end.
      const listenerRefreshes = spotify.tokenRequests.filter((r) => r.grantType === 'refresh_token');
      expect(listenerRefreshes).toHaveLength(1);
      expect(listenerRefreshes[0]!.form.get('refresh_token')).toBe(refreshToken);
      expect(spotify.rateLimitedResponses).toBe(1);
      expect(spotify.trackRequests.map((r) => r.offset)).toEqual([0, 0, 1, 1, 2]);
      expect(spotify.trackRequests[0]!.token).toBe(spotify.codeResponse.access_token);
      expect(spotify.trackRequests.slice(1).every((r) => r.token === spotify.refreshResponse.access_token)).toBe(true);

      // Every raw page landed in storage as Spotify sent it, through single-use signed URLs.
      const folder = path.join(root, 'favorites_raw/spotify/listener');
      const files = readdirSync(folder).sort();
      expect(files).toHaveLength(3);
      expect(files.every((file) => /^\d{13}\.json$/.test(file))).toBe(true);
      const pages = files.map((file) => JSON.parse(readFileSync(path.join(folder, file), 'utf8')));
      expect(pages.map((page: { items: Array<{ track: { name: string } }> }) => page.items[0]!.track.name)).toEqual(
        spotify.trackNames,
      );
      expect(pages[2].items[0].track.external_ids.isrc).toBe('ZZX9Q2600001');
      const grants = await t.scratch.db.query<{ used: boolean }>(
        `SELECT used_at IS NOT NULL AS used FROM storage_upload_grants WHERE object_key LIKE 'favorites_raw/spotify/listener/%'`,
      );
      expect(grants.rows).toEqual([{ used: true }, { used: true }, { used: true }]);

      // The new favorites asked for a re-embed of the member's taste vector.
      const reembeds = await t.scratch.db.query<{ data: { memberId: string; reason: string } }>(
        `SELECT data FROM pgboss.job WHERE name = 'member_reembed' AND data->>'memberId' = 'listener'`,
      );
      expect(reembeds.rows.map((r) => r.data.reason)).toEqual(['favorites_changed']);

      // Re-running adds nothing; the counts say so. Spotify rotates the refresh token this time.
      spotify.rotateRefreshTokenTo = 'rotated-refresh-token-for-listener';
      const again = await postImport(headers);
      expect(again.statusCode).toBe(202);
      const second = await settled(headers);
      expect(second).toMatchObject({
        state: 'done',
        counts: { pages: 3, tracksSeen: 3, matched: 2, favoritesAdded: 0, unmatched: 1, overLimit: 0 },
      });
      expect(await favoritesOf('listener')).toHaveLength(2);
      expect(readdirSync(folder)).toHaveLength(6);
      expect(box.open((await sealedTokens('listener'))!.refresh, 'spotify:refresh:listener')).toBe(
        'rotated-refresh-token-for-listener',
      );
      spotify.rotateRefreshTokenTo = null;
    });

    it('stops adding at the per-member ceiling and counts what it left out', async () => {
      const headers = await member('collector');
      await t.scratch.db.query(
        `INSERT INTO media (id, kind, title) SELECT 'mb:recording:ceiling-' || g, 'recording', 'Ceiling filler ' || g
           FROM generate_series(1, $1::int - 1) g`,
        [MEDIA_LIMITS.maxFavoritesPerMember],
      );
      await t.scratch.db.query(
        `INSERT INTO favorites (member_id, media_id, source) SELECT 'collector', id, 'manual' FROM media WHERE id LIKE 'mb:recording:ceiling-%'`,
      );
      const accepted = await postImport(headers);
      expect(accepted.statusCode).toBe(202);
      expect(await settled(headers)).toMatchObject({
        state: 'done',
        counts: { pages: 3, matched: 2, favoritesAdded: 1, overLimit: 1, unmatched: 1 },
      });
      const { rows } = await t.scratch.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM favorites WHERE member_id = 'collector'`,
      );
      expect(rows[0]!.count).toBe(MEDIA_LIMITS.maxFavoritesPerMember);
    });

    it('answers a rejected authorization code with 400 and stores nothing', async () => {
      const headers = await member('bad-code');
      const response = await postImport(headers, { ...CONNECT, code: 'expired-code' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'body.code: Spotify rejected the authorization code (invalid_grant)',
      });
      expect(await sealedTokens('bad-code')).toBeNull();
      expect((await statusOf(headers)).state).toBe('idle');
    });

    it('answers a Spotify HTML error page with a clear error and stores nothing', async () => {
      const headers = await member('html-page');
      const rejected = await postImport(headers, { ...CONNECT, code: 'html-error' });
      expect(rejected.statusCode).toBe(400);
      expect(rejected.json().message).toBe('body.code: Spotify rejected the authorization code (a text/html response)');
      const down = await postImport(headers, { ...CONNECT, code: 'server-down' });
      expect(down.statusCode).toBe(502);
      expect(down.json().message).toBe("spotify: Spotify's accounts service answered HTTP 503; try again later");
      expect(await sealedTokens('html-page')).toBeNull();
    });

    it('marks the connector as failed, without secrets, when Spotify revokes the grant', async () => {
      const headers = await member('revoked');
      spotify.rejectRefresh = true;
      try {
        const accepted = await postImport(headers);
        expect(accepted.statusCode).toBe(202);
        const failed = await settled(headers);
        expect(failed.state).toBe('error');
        expect(failed.lastError).toBe(
          'spotify: Spotify rejected the stored authorization (invalid_grant); connect Spotify again',
        );
        expect(failed.counts.pages).toBe(0);
        expect(await favoritesOf('revoked')).toEqual([]);
      } finally {
        spotify.rejectRefresh = false;
      }
    });

    it('refreshes only once when Spotify keeps refusing the access token, then reports an error', async () => {
      const headers = await member('always-refused');
      spotify.refuseAllAccessTokens = true;
      const refreshesBefore = spotify.tokenRequests.filter((r) => r.grantType === 'refresh_token').length;
      try {
        const accepted = await postImport(headers);
        expect(accepted.statusCode).toBe(202);
        const failed = await settled(headers);
        expect(failed.state).toBe('error');
        expect(failed.lastError).toBe(
          'spotify: Spotify refused the access token even after refreshing it; connect Spotify again',
        );
        expect(spotify.tokenRequests.filter((r) => r.grantType === 'refresh_token').length - refreshesBefore).toBe(1);
      } finally {
        spotify.refuseAllAccessTokens = false;
      }
    });

    it('answers 503 naming the variables when the server has no Spotify client configured', async () => {
      // A second replica on the same database, without Spotify credentials (and without workers).
      const unconfigured = await startTestApp(kind, {
        scratch: t.scratch,
        config: { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } },
      });
      try {
        const headers = await member('unconfigured');
        const response = await postImport(headers, CONNECT, unconfigured.app);
        expect(response.statusCode).toBe(503);
        expect(response.json().message).toBe(
          'spotify: the Spotify connector is not configured on this server (set SDE_SPOTIFY_CLIENT_ID and SDE_SPOTIFY_CLIENT_SECRET)',
        );
        expect(await sealedTokens('unconfigured')).toBeNull();
      } finally {
        await unconfigured.close();
      }
    });

    it('connectors off: a member who turned connectors off cannot connect Spotify, and no token is stored', async () => {
      const headers = await member('connectors-off');
      const off = await t.app.inject({
        method: 'PATCH',
        url: '/api/v2/discovery/privacy',
        headers,
        payload: { connectors: false },
      });
      expect(off.statusCode).toBe(200);
      const response = await postImport(headers);
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/^connectors: sharing external connectors is off/);
      expect(await sealedTokens('connectors-off')).toBeNull();
    });

    it('answers a member without saved attributes with 409 naming what to do', async () => {
      const response = await postImport(bearer(await t.token('member', 'no-profile-yet')));
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/^member: save your attributes \(PUT \/api\/v2\/users\/me\/attributes\)/);
    });

    it.each([
      ['an unknown field', { ...CONNECT, scope: 'x' }, 'body.scope is not a known field'],
      ['a missing code', { redirectUri: REDIRECT_URI }, 'body.code is required'],
      ['an empty code', { code: '', redirectUri: REDIRECT_URI }, 'body.code '],
      [
        'a redirect URI that is not a URL',
        { code: GOOD_CODE, redirectUri: 'javascript:alert(1)' },
        'body.redirectUri ',
      ],
      ['a 10 kB code', { code: 'a'.repeat(10_000), redirectUri: REDIRECT_URI }, 'body.code '],
    ])('answers %s with 400 naming the field', async (_name, payload, message) => {
      const response = await postImport(bearer(await t.token('member', 'listener')), payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().message.startsWith(message)).toBe(true);
    });
  });
});
