// Issue 11, finding "POST /api/v2/embed stalls the whole embedded server": the body has documented
// ceilings (items per list, characters per string, characters in total) and each one past its ceiling is a
// 400 naming the field; a request at the ceilings is served; and while a maximal request is being worked
// on, /healthz is answered first, over a real listening server on the full sample catalogue (where
// resolving 200 long favorites used to hold PGlite, and so the event loop, for about 15 s).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { seedSampleCatalogue } from '../../server/offline/catalogue/sample-catalogue.js';
import { TASTE_LIMITS } from '../../shared/schemas/taste.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { dataDirWithSharedWordVectors } from '../support/embeddings-data-dir.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const EMBED = '/api/v2/embed';
const WORDS = 'jazz piano climbing opera film music books travel cooking chess hiking ';

/** `length` characters of known words (so every text has something to embed). */
function text(length: number, seed = 0): string {
  return `${seed} ${WORDS.repeat(Math.ceil(length / WORDS.length) + 1)}`.slice(0, length).replace(/ $/, 'x');
}

/** Strings of `length` characters, `count` of them, numbered so none repeat. */
function texts(count: number, length: number): string[] {
  return Array.from({ length: count }, (_, i) => text(length, i));
}

function characters(body: Record<string, string[]>): number {
  return Object.values(body).reduce((sum, list) => sum + list.reduce((n, s) => n + Array.from(s).length, 0), 0);
}

/** The scratch database, with a hook that runs when the embed route starts resolving favorites. */
function observed(scratch: ScratchDatabase): { scratch: ScratchDatabase; onResolve: { hook?: () => void } } {
  const onResolve: { hook?: () => void } = {};
  const inner = scratch.db;
  const db: Database = {
    driver: inner.driver,
    // The favorites lookup is the one query that joins the request's references (`AS r(reference)`).
    query: (sql, params) => {
      if (sql.includes('AS r(reference)')) onResolve.hook?.();
      return inner.query(sql, params);
    },
    transaction: (work) => inner.transaction(work),
    asMember: (memberId, work) => inner.asMember(memberId, work),
    listen: (channel, onMessage) => inner.listen(channel, onMessage),
    close: () => inner.close(),
  };
  return { scratch: { ...scratch, db }, onResolve };
}

describe.each(databaseKinds)('POST /api/v2/embed work bounds [%s]', (kind) => {
  let t: TestApp;
  let onResolve: { hook?: () => void };
  let baseUrl: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    const watched = observed(await openScratchDatabase(kind));
    onResolve = watched.onResolve;
    t = await startTestApp(kind, {
      scratch: watched.scratch,
      config: { dataDir: await dataDirWithSharedWordVectors() },
    });
    await seedSampleCatalogue(t.scratch.db);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    headers = { ...bearer(await t.token('member', 'embed-bounds')), 'content-type': 'application/json' };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await t?.scratch.dispose();
  });

  const embed = (payload: unknown) => t.app.inject({ method: 'POST', url: EMBED, headers, payload: payload as object });

  it('embed bounds: a request at every ceiling is served', async () => {
    const perString = {
      interests: [text(TASTE_LIMITS.textLength)],
      hobbies: [text(TASTE_LIMITS.textLength, 1)],
      communities: [text(TASTE_LIMITS.textLength, 2)],
      favorites: [text(TASTE_LIMITS.favoriteLength, 3)],
    };
    const perList = {
      interests: texts(TASTE_LIMITS.textItems, 20),
      hobbies: texts(TASTE_LIMITS.textItems, 20),
      communities: texts(TASTE_LIMITS.textItems, 20),
      favorites: texts(TASTE_LIMITS.favoriteItems, 20),
    };
    // Exactly the total: lists and strings within theirs, the characters summing to the ceiling.
    const total = { interests: texts(40, 200), hobbies: texts(40, 200), favorites: texts(7, 500) };
    total.favorites.push(text(TASTE_LIMITS.totalCharacters - characters(total), 99));
    expect(characters(total)).toBe(TASTE_LIMITS.totalCharacters);

    for (const body of [perString, perList, total]) {
      const response = await embed(body);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().vector).toHaveLength(256);
    }
  });

  const past: Array<{ ceiling: string; body: Record<string, string[]>; message: RegExp }> = [
    {
      ceiling: 'items per list (interests)',
      body: { interests: texts(TASTE_LIMITS.textItems + 1, 5) },
      message: /^body\.interests/,
    },
    {
      ceiling: 'items per list (favorites)',
      body: { favorites: texts(TASTE_LIMITS.favoriteItems + 1, 5) },
      message: /^body\.favorites/,
    },
    {
      ceiling: 'characters per string (hobbies)',
      body: { hobbies: [text(TASTE_LIMITS.textLength + 1)] },
      message: /^body\.hobbies\[0\]/,
    },
    {
      ceiling: 'characters per string (favorites)',
      body: { favorites: ['ok', text(TASTE_LIMITS.favoriteLength + 1)] },
      message: /^body\.favorites\[1\]/,
    },
    {
      ceiling: 'characters in total',
      body: { interests: texts(40, 200), hobbies: texts(40, 200), favorites: [...texts(8, 500), 'x'] },
      message: new RegExp(`^body: 20001 characters in total .*; at most ${TASTE_LIMITS.totalCharacters}`),
    },
  ];
  it.each(past)('embed bounds: past the ceiling on $ceiling → 400 naming the field', async ({ body, message }) => {
    const response = await embed(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(message),
    });
  });

  it('embed bounds: /healthz is answered while a maximal embed request is being worked on', async () => {
    // Long favorites (no title matches them) up to the total ceiling, plus text to embed.
    const body = {
      interests: texts(TASTE_LIMITS.textItems, 100),
      hobbies: texts(TASTE_LIMITS.textItems, 100),
      favorites: texts(
        TASTE_LIMITS.favoriteItems,
        (TASTE_LIMITS.totalCharacters - 10_000) / TASTE_LIMITS.favoriteItems,
      ),
    };
    expect(characters(body)).toBe(TASTE_LIMITS.totalCharacters);
    const order: string[] = [];
    let health: Promise<Response> | undefined;
    // Ask for /healthz only once the embed is inside its work (resolving favorites), not before it.
    onResolve.hook = () => {
      onResolve.hook = undefined;
      health = fetch(`${baseUrl}/healthz`).then((response) => {
        order.push('healthz');
        return response;
      });
    };
    const embedded = fetch(`${baseUrl}${EMBED}`, { method: 'POST', headers, body: JSON.stringify(body) }).then(
      (response) => {
        order.push('embed');
        return response;
      },
    );
    const embedResponse = await embedded;
    expect(health, 'the embed request never reached its favorites lookup').toBeDefined();
    const healthResponse = await health!;
    expect(embedResponse.status).toBe(200);
    expect(healthResponse.status).toBe(200);
    expect(order).toEqual(['healthz', 'embed']);
  }, 120_000);
});
