// Saved-tracks pages are read loosely but safely, and a track's lookup keys come out normalised:
// checked on Spotify's real sample page (../shared/fixtures/api) and on broken shapes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedFilesPresent } from '../../test/support/shared-files.js';
import { parseSavedTracksPage, trackLookup, type SpotifyTrack } from './spotify-tracks.js';
import { retryAfterSeconds } from './spotify-client.js';

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../shared/fixtures/api/spotify_me_tracks.GetUsersSavedTracksRequest.json',
);

const fixturePresent = sharedFilesPresent([fixture]);

describe.skipIf(!fixturePresent)('saved-tracks page (real Spotify sample; needs ../shared/fixtures)', () => {
  it('reads the sample page and its track lookup', () => {
    const page = parseSavedTracksPage(readFileSync(fixture, 'utf8'));
    expect(page).not.toBeNull();
    expect(page!.next).toBe('https://api.spotify.com/v1/me/tracks?offset=2&limit=1');
    expect(page!.total).toBe(11);
    expect(page!.items).toHaveLength(1);
    expect(trackLookup(page!.items[0]!.track)).toEqual({
      isrc: 'GBAHS1701196',
      title: 'Perfect Duet (Ed Sheeran & Beyoncé)',
      artist: 'Ed Sheeran',
      year: null,
    });
  });
});

describe('parseSavedTracksPage', () => {
  it.each([
    ['an HTML page', '<html><body>Bad gateway</body></html>'],
    ['an error object', '{"error":{"status":500,"message":"oops"}}'],
    ['items that are not a list', '{"items":{}}'],
    ['a next that is not a string', '{"items":[],"next":5}'],
    ['JSON null', 'null'],
  ])('refuses %s', (_name, body) => {
    expect(parseSavedTracksPage(body)).toBeNull();
  });

  it('keeps unavailable tracks as null items, to be counted as unmatched', () => {
    const page = parseSavedTracksPage('{"items":[{"added_at":"x","track":null},{"track":{"name":1}}],"next":null}');
    expect(page!.items.map((item) => item.track)).toEqual([null, null]);
    expect(page!.next).toBeNull();
  });
});

describe('trackLookup', () => {
  const track = (overrides: Partial<SpotifyTrack>): SpotifyTrack => ({
    id: 'x',
    name: 'Song',
    artists: [{ name: 'Artist' }],
    ...overrides,
  });

  it('normalises the ISRC and reads the year from the album release date', () => {
    expect(
      trackLookup(track({ external_ids: { isrc: ' us-rc1-17-12345 ' }, album: { release_date: '1999-05-01' } })),
    ).toEqual({ isrc: 'USRC11712345', title: 'Song', artist: 'Artist', year: 1999 });
  });

  it('drops an ISRC that is not one, and a release date without a year', () => {
    expect(trackLookup(track({ external_ids: { isrc: 'nonsense' }, album: { release_date: '' } }))).toMatchObject({
      isrc: null,
      year: null,
    });
  });

  it('skips artists without a name and has nothing to match for an empty title', () => {
    expect(trackLookup(track({ artists: [{ name: ' ' }, { name: 'Second' }] }))?.artist).toBe('Second');
    expect(trackLookup(track({ name: '  ' }))).toBeNull();
    expect(trackLookup(null)).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates, defaulting to 1 s', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('3', now)).toBe(3);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBe(1);
    expect(retryAfterSeconds('soon', now)).toBe(1);
  });
});
