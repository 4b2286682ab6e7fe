// Favorites over REST: add by id or by free-text title (canonicalised), list, remove; every change
// queues a re-embed; bad input is a 4xx naming the field, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_LIMITS } from '../../shared/schemas/media.js';
import { FavoritesRepository } from '../../server/media/favorites.repository.js';
import { generatedId, seedSampleCatalogue } from '../../server/offline/catalogue/sample-catalogue.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';

const PATH = '/api/v2/favorites';
const BLADE_RUNNER = 'tt0083658';

describe.each(databaseKinds)('favorites [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    // Curated works plus a small generated sample: enough neighbours to make matching non-trivial.
    await seedSampleCatalogue(t.scratch.db, { generated: 2_000 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function member(subject: string, withAttributes = true): Promise<Record<string, string>> {
    return withAttributes ? memberWithProfile(t, subject) : bearer(await t.token('member', subject));
  }

  async function reembedJobs(memberId: string): Promise<number> {
    const { rows } = await t.scratch.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM pgboss.job
        WHERE name = 'member_reembed' AND data->>'memberId' = $1 AND data->>'reason' = 'favorites_changed'`,
      [memberId],
    );
    return rows[0]?.count ?? 0;
  }

  it('adds by id (201), answers 200 when it already is one, and lists it', async () => {
    const headers = await member('fan-by-id');
    // Saving attributes queued a re-embed already; clear it so the one the favorite queues is visible.
    await t.scratch.db.query(
      `DELETE FROM pgboss.job WHERE name = 'member_reembed' AND data->>'memberId' = 'fan-by-id'`,
    );
    const first = await t.app.inject({ method: 'POST', url: PATH, headers, payload: { mediaId: BLADE_RUNNER } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      mediaId: BLADE_RUNNER,
      kind: 'film',
      title: 'Blade Runner',
      year: 1982,
      source: 'manual',
      addedAt: expect.any(String),
      resolvedFrom: null,
      confidence: 1,
    });
    const again = await t.app.inject({ method: 'POST', url: PATH, headers, payload: { mediaId: BLADE_RUNNER } });
    expect(again.statusCode).toBe(200);
    expect(again.json().addedAt).toBe(first.json().addedAt);

    const list = await t.app.inject({ method: 'GET', url: PATH, headers });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        mediaId: BLADE_RUNNER,
        kind: 'film',
        title: 'Blade Runner',
        year: 1982,
        source: 'manual',
        addedAt: first.json().addedAt,
      },
    ]);
    expect(await reembedJobs('fan-by-id')).toBe(1);
  });

  it('canonicalises a free-text title and shows the id it resolved to', async () => {
    const headers = await member('fan-by-title');
    const response = await t.app.inject({
      method: 'POST',
      url: PATH,
      headers,
      payload: { title: 'Blade Runner (Final Cut)' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      mediaId: BLADE_RUNNER,
      resolvedFrom: 'Blade Runner (Final Cut)',
      confidence: expect.any(Number),
    });
    expect(response.json().confidence).toBeGreaterThan(0.9);

    const typed = await t.app.inject({ method: 'POST', url: PATH, headers, payload: { title: 'the matrix' } });
    expect(typed.statusCode).toBe(201);
    expect(typed.json().mediaId).toBe('tt0133093');
  });

  it('uses the kind hint to pick among works of the same name', async () => {
    const headers = await member('fan-by-kind');
    const response = await t.app.inject({
      method: 'POST',
      url: PATH,
      headers,
      payload: { title: 'The Lord of the Rings', kind: 'book' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ mediaId: 'ol:OL27448W', kind: 'book' });
  });

  it('removes a favorite (204), then answers 404, and queues a re-embed for the removal', async () => {
    const headers = await member('fan-removing');
    await t.app.inject({ method: 'POST', url: PATH, headers, payload: { mediaId: BLADE_RUNNER } });
    await t.scratch.db.query(
      `DELETE FROM pgboss.job WHERE name = 'member_reembed' AND data->>'memberId' = 'fan-removing'`,
    );
    const removed = await t.app.inject({ method: 'DELETE', url: `${PATH}/${BLADE_RUNNER}`, headers });
    expect(removed.statusCode).toBe(204);
    expect(await reembedJobs('fan-removing')).toBe(1);
    const list = await t.app.inject({ method: 'GET', url: PATH, headers });
    expect(list.json()).toEqual([]);
    const again = await t.app.inject({ method: 'DELETE', url: `${PATH}/${BLADE_RUNNER}`, headers });
    expect(again.statusCode).toBe(404);
    expect(again.json().message).toMatch(/^params\.mediaId: "tt0083658" is not among your favorites/);
  });

  it('asks a caller without saved attributes to save them first (409) and stores nothing', async () => {
    const headers = await member('no-profile-yet', false);
    const response = await t.app.inject({ method: 'POST', url: PATH, headers, payload: { mediaId: BLADE_RUNNER } });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/^member: .*PUT \/api\/v2\/users\/me\/attributes first/);
    const { rows } = await t.scratch.db.query(`SELECT 1 FROM favorites WHERE member_id = 'no-profile-yet'`);
    expect(rows).toEqual([]);
  });

  it(`refuses a favorite beyond the ceiling of ${MEDIA_LIMITS.maxFavoritesPerMember} with a 409`, async () => {
    const headers = await member('collector');
    const favorites = new FavoritesRepository(t.scratch.db);
    for (let serial = 1; serial <= MEDIA_LIMITS.maxFavoritesPerMember; serial++) {
      await favorites.add('collector', generatedId('film', serial), 'import');
    }
    const response = await t.app.inject({ method: 'POST', url: PATH, headers, payload: { mediaId: BLADE_RUNNER } });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/^favorites: a member keeps at most 500/);
    // One already kept is still a 200, not a refusal.
    const kept = await t.app.inject({
      method: 'POST',
      url: PATH,
      headers,
      payload: { mediaId: generatedId('film', 1) },
    });
    expect(kept.statusCode).toBe(200);
  });

  const badBodies: Array<{ name: string; body: unknown; status: number; message: RegExp }> = [
    {
      name: 'an unknown id',
      body: { mediaId: 'tt0000001' },
      status: 422,
      message: /^body\.mediaId: "tt0000001" is not in the catalogue/,
    },
    {
      name: 'a malformed id',
      body: { mediaId: 'imdb:0083658' },
      status: 400,
      message: /^body\.mediaId must match pattern/,
    },
    {
      name: 'an id in a namespace SDE does not know',
      body: { mediaId: 'spotify:track:abc' },
      status: 400,
      message: /^body\.mediaId/,
    },
    {
      name: 'an unresolvable title',
      body: { title: 'qzxv wplkj vvvq' },
      status: 422,
      message: /^body\.title: no catalogue match for "qzxv wplkj vvvq"/,
    },
    {
      name: 'an empty title',
      body: { title: '' },
      status: 400,
      message: /^body\.title must NOT have fewer than 1 characters/,
    },
    { name: 'a blank title', body: { title: '   ' }, status: 400, message: /^body\.title must match pattern/ },
    {
      name: 'a 301-character title',
      body: { title: 'x'.repeat(301) },
      status: 400,
      message: /^body\.title must NOT have more than 300 characters/,
    },
    {
      name: 'a 10 kB title',
      body: { title: 'Blade Runner '.repeat(800) },
      status: 400,
      message: /^body\.title must NOT have more than 300/,
    },
    { name: 'an unsupported kind', body: { title: 'Heat', kind: 'podcast' }, status: 400, message: /^body\.kind/ },
    {
      name: 'both forms',
      body: { mediaId: BLADE_RUNNER, title: 'Blade Runner' },
      status: 400,
      message: /^body: give either mediaId or title/,
    },
    { name: 'neither form', body: {}, status: 400, message: /^body: give either mediaId or title/ },
    {
      name: 'a kind with an id',
      body: { mediaId: BLADE_RUNNER, kind: 'film' },
      status: 400,
      message: /^body\.kind: goes with title only/,
    },
    {
      name: 'an unknown field',
      body: { mediaId: BLADE_RUNNER, rating: 5 },
      status: 400,
      message: /^body\.rating is not a known field/,
    },
    { name: 'a title that is not text', body: { title: 42 }, status: 400, message: /^body\.title must be string/ },
  ];

  it.each(badBodies)('answers $status for $name and stores nothing', async ({ body, status, message }) => {
    const headers = await member('careful-member');
    const response = await t.app.inject({ method: 'POST', url: PATH, headers, payload: body as object });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: expect.stringMatching(message),
    });
    const { rows } = await t.scratch.db.query(`SELECT 1 FROM favorites WHERE member_id = 'careful-member'`);
    expect(rows).toEqual([]);
  });

  it('answers 400 naming the parameter for a malformed id in the path', async () => {
    const headers = await member('path-checker');
    const response = await t.app.inject({ method: 'DELETE', url: `${PATH}/not-an-id`, headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^params\.mediaId must match pattern/);
  });

  it('lists only the caller’s own favorites', async () => {
    const mine = await member('owner-a');
    const theirs = await member('owner-b');
    await t.app.inject({ method: 'POST', url: PATH, headers: mine, payload: { mediaId: 'tt0110912' } });
    const list = await t.app.inject({ method: 'GET', url: PATH, headers: theirs });
    expect(list.json()).toEqual([]);
  });
});
