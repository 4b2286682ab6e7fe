// Example requests for the connectors module's routes (Spotify import, connector status, signed
// uploads), used by the route × role access test.
import type { Config } from '../../../server/config/config.js';
import { FakeSpotify, GOOD_CODE, spotifyFixturesPresent } from '../fake-spotify.js';
import type { TestApp } from '../test-app.js';
import type { PrepareExamples, RouteExample, RouteExamples } from './route-example.js';

/**
 * The upload route is public and each signed URL works once, while the access test sends every
 * example once per caller (anonymous and each role). `prepare` issues one URL per caller and the
 * example's `url` getter hands out the next one on each read.
 */
const CALLERS = 5;
const uploadUrls: string[] = [];

export const prepare: PrepareExamples = async (t: TestApp) => {
  uploadUrls.length = 0;
  for (let i = 0; i < CALLERS; i++) {
    const upload = await t.app.engine.objectStorage.createUploadUrl(`favorites_raw/access-test/${i}.json`, {
      contentType: 'application/json',
      maxBytes: 1024,
    });
    const url = new URL(upload.url);
    uploadUrls.push(url.pathname + url.search);
  }
};

const uploadExample: RouteExample = {
  // Each grant takes one upload: every call (one per allowed role) uses the next URL.
  url: () => uploadUrls.shift() ?? '/api/v2/storage/upload/none-left',
  headers: { 'content-type': 'application/json' },
  payload: { items: [] },
};

/**
 * Config the access test's app needs for these examples to be served: the Spotify import exchanges
 * its code at a local fake Spotify. (Used by access.test.ts once it merges each module's `configure`.)
 */
export async function configure(): Promise<Partial<Config>> {
  if (!spotifyFixturesPresent) return {};
  const spotify = (await new FakeSpotify().start()).unref();
  return { spotify: spotify.config };
}

export const examples: RouteExamples = {
  'POST /api/v2/favorites/import/spotify': {
    payload: { code: GOOD_CODE, redirectUri: 'http://127.0.0.1:5173/connect/spotify/callback' },
    unavailable: spotifyFixturesPresent
      ? undefined
      : 'the fake Spotify replays ../shared/fixtures/api, which is absent',
  },
  'GET /api/v2/favorites/status': {},
  'PUT /api/v2/storage/upload/:grantId': uploadExample,
};
