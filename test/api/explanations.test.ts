// Explanations through the API on each database: GET /api/v2/discovery/why/:targetId with a live model
// that scores shared hobbies — the hobby as the top reason in English and Spanish, shared traits as chips,
// a privacy opt-out that keeps the hobby out of reasons and chips, the model of the latest impression,
// the cache (hit, dropped by a profile change, new key after a promotion), 503 and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../../shared/schemas/explanations.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';

const WHY = '/api/v2/discovery/why';

describe.each(databaseKinds)('explanations over the API [%s]', (kind) => {
  let t: TestApp;
  let seeded: SeededFeedback;
  let viewer: string;
  let viewerToken: string;

  async function why(targetId: string, token = viewerToken, query = '') {
    const response = await t.app.inject({
      method: 'GET',
      url: `${WHY}/${encodeURIComponent(targetId)}${query}`,
      headers: bearer(token),
    });
    return {
      status: response.statusCode,
      body: response.json<Explanation & { message?: string }>(),
      cache: response.headers['x-sde-cache'],
      model: response.headers['x-sde-model-version'],
    };
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    seeded = await seedFeedback(t.scratch.db, { viewers: 2, candidates: 4, prefix: 'why' });
    viewer = seeded.viewerIds[0]!;
    viewerToken = await t.token('member', viewer);
    // Two favorites the viewer shares with the first hobby-sharing candidate; a third member also holds
    // Alien, so Blade Runner is the rarer one.
    await t.scratch.db.query(
      `INSERT INTO media (id, kind, title) VALUES ('why-br', 'film', 'Blade Runner'), ('why-alien', 'film', 'Alien')`,
    );
    for (const [member, media] of [
      [viewer, 'why-alien'],
      [viewer, 'why-br'],
      [seeded.sharingHobby[0]!, 'why-alien'],
      [seeded.sharingHobby[0]!, 'why-br'],
      [seeded.candidateIds[1]!, 'why-alien'],
    ] as const) {
      await t.scratch.db.query('INSERT INTO favorites (member_id, media_id) VALUES ($1, $2)', [member, media]);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503 naming what to do while no model is live', async () => {
    const { status, body } = await why(seeded.sharingHobby[0]!);
    expect(status).toBe(503);
    expect(body.message).toMatch(/^ranker: no live ranking model to explain with; train one/);
  });

  it('gives the shared hobby as the top reason, in English and Spanish, with shared traits as chips', async () => {
    await t.app.models.register({
      id: 'why-hobby-model',
      format: 'lightgbm',
      artifact: hobbyRankerModel(),
      createdBy: 'test',
      status: 'live',
    });
    const target = seeded.sharingHobby[0]!;
    const { status, body, cache, model } = await why(target);
    expect(status).toBe(200);
    expect([cache, model]).toEqual(['miss', 'why-hobby-model']);
    expect(body).toMatchObject({ targetId: target, viewerId: viewer, model: 'why-hobby-model', score: 1 });
    expect(body.reason_en).toBe('You both enjoy climbing');
    expect(body.reason_es).toBe('A ambos os gusta climbing');
    expect(body.features).toEqual([
      {
        name: 'hobbies_jaccard',
        group: 'interests',
        value: 0.5,
        contribution: expect.any(Number) as number,
        reason_en: 'You both enjoy climbing',
        reason_es: 'A ambos os gusta climbing',
      },
    ]);
    // Exact TreeSHAP: the contribution and the expected value add up to the score.
    expect(body.expectedValue + body.features[0]!.contribution).toBeCloseTo(body.score, 12);
    expect(body.chips).toEqual([
      { en: 'Both appreciate Blade Runner', es: 'A ambos les gusta Blade Runner' },
      { en: 'Both appreciate Alien', es: 'A ambos les gusta Alien' },
      { en: 'Both appreciate climbing', es: 'A ambos les gusta climbing' },
    ]);
  });

  it('gives the generic reason when nothing pushed the pair up', async () => {
    const { status, body } = await why(seeded.candidateIds[1]!);
    expect(status).toBe(200);
    expect(body.score).toBe(0);
    expect(body.features).toEqual([]);
    expect(body.reason_en).toBe('Suggested for you');
    expect(body.reason_es).toBe('Sugerencia para ti');
  });

  it('never uses the hobby as a reason or a chip when the target keeps interests private', async () => {
    const target = seeded.sharingHobby[1]!;
    await t.scratch.db.query('UPDATE members SET share_interests = false WHERE id = $1', [target]);
    const { status, body } = await why(target);
    expect(status).toBe(200);
    expect(body.features.map((feature) => feature.group)).not.toContain('interests');
    expect(JSON.stringify(body)).not.toContain('climbing');
    expect(body.reason_es.length).toBeGreaterThan(0);
    expect(body.chips).toEqual([]);
  });

  it('serves a repeated question from the cache until a profile change of either member drops it', async () => {
    const target = seeded.sharingHobby[0]!;
    const before = t.app.explanations.cacheStats.hits;
    const again = await why(target);
    expect(again.cache).toBe('hit');
    expect(again.body.reason_en).toBe('You both enjoy climbing');
    expect(t.app.explanations.cacheStats.hits).toBe(before + 1);

    // The viewer saves their profile (the attributes API publishes the change): the entry is dropped.
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(viewerToken),
      payload: { ...validAttributes(), hobbies: ['climbing', 'salsa'] },
    });
    expect(saved.statusCode).toBeLessThan(300);
    const afterChange = await why(target);
    expect(afterChange.cache).toBe('miss');
    expect(afterChange.body.reason_en).toBe('You both enjoy climbing');
    expect((await why(target)).cache).toBe('hit');
  });

  it('names the new model after a promotion, and the model of the latest impression when it still exists', async () => {
    const target = seeded.sharingHobby[0]!;
    await t.app.models.register({
      id: 'why-hobby-model-2',
      format: 'lightgbm',
      artifact: hobbyRankerModel(),
      createdBy: 'test',
    });
    await t.app.models.promote('why-hobby-model-2', 'live', 'test');
    const promoted = await why(target);
    expect([promoted.status, promoted.cache, promoted.body.model]).toEqual([200, 'miss', 'why-hobby-model-2']);

    // The viewer was last shown the target by the (now retired) first model: that model explains.
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, model_version, arm)
       VALUES (gen_random_uuid(), 0, $1, $2, 'why-hobby-model', 'control')`,
      [viewer, target],
    );
    const served = await why(target);
    expect([served.status, served.body.model, served.model]).toEqual([200, 'why-hobby-model', 'why-hobby-model']);

    // A later impression by a model that no longer exists falls back to the live one.
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, model_version, arm, served_at)
       VALUES (gen_random_uuid(), 0, $1, $2, 'deleted-model', 'control', now() + interval '1 second')`,
      [viewer, target],
    );
    expect((await why(target)).body.model).toBe('why-hobby-model-2');
  });

  it("lets staff explain another member's suggestion and members only their own", async () => {
    const other = seeded.viewerIds[1]!;
    const target = seeded.sharingHobby[0]!;
    const forbidden = await why(target, viewerToken, `?viewerId=${other}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/^querystring\.viewerId: role "member" may only ask/);
    const own = await why(target, viewerToken, `?viewerId=${viewer}`);
    expect(own.status).toBe(200);
    const reviewer = await why(target, await t.token('reviewer', 'why-reviewer'), `?viewerId=${other}`);
    expect(reviewer.status).toBe(200);
    expect(reviewer.body).toMatchObject({ viewerId: other, targetId: target, reason_en: 'You both enjoy climbing' });
    const ghost = await why(target, await t.token('admin', 'why-admin'), '?viewerId=ghost');
    expect(ghost.status).toBe(404);
    expect(ghost.body.message).toMatch(/^querystring\.viewerId: member "ghost" has no saved attributes/);
  });

  it.each<[string, string, string, number, RegExp]>([
    ['an unknown target', 'nobody-here', '', 404, /^params\.targetId: no member "nobody-here"/],
    ['the viewer as target', 'why-viewer-0', '', 422, /^params\.targetId: is the viewer "why-viewer-0"/],
    ['an unknown query parameter', 'why-candidate-0', '?lang=es', 400, /^querystring\.lang/],
  ])('rejects %s naming the field', async (_name, target, query, status, message) => {
    const response = await why(target, viewerToken, query);
    expect(response.status).toBe(status);
    expect(response.body.message).toMatch(message);
  });

  it('answers 404 naming the viewer when the caller has no saved attributes', async () => {
    const response = await why(seeded.sharingHobby[0]!, await t.token('member', 'why-no-profile'));
    expect(response.status).toBe(404);
    expect(response.body.message).toMatch(/^viewer: member "why-no-profile" has no saved attributes/);
  });
});
