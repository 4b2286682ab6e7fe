// Explanations through the API on each database: GET /api/v2/discovery/why/:targetId with a live model
// that scores shared hobbies — the hobby as the top reason in English and Spanish, shared traits as chips,
// a privacy opt-out that keeps the hobby out of reasons and chips, the model of the latest impression,
// the cache (hit, dropped by a profile change, new key after a promotion), 503 and bad input. Then who
// may ask (issue 11): members only about members served to them in the last 30 days and not blocked
// either way, answered in bands and wording; staff with exact values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceKm } from '../../server/lib/great-circle.js';
import type { Explanation } from '../../shared/schemas/explanations.js';
import { databaseKinds } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { profileRankerModel } from '../support/profile-ranker-model.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';
import { registerRanker } from '../support/register-ranker.js';

const WHY = '/api/v2/discovery/why';

/** Either view, read loosely: the member view is the staff one minus values, contributions and scores. */
type WhyBody = Omit<Explanation, 'view'> & { view: 'member' | 'staff'; message?: string };

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
      body: response.json<WhyBody>(),
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
    await registerRanker(t.app.engine.models, 'why-hobby-model', hobbyRankerModel(), 'live');
    const target = seeded.sharingHobby[0]!;
    const { status, body, cache, model } = await why(target);
    expect(status).toBe(200);
    expect([cache, model]).toEqual(['miss', 'why-hobby-model']);
    expect(body).toMatchObject({ view: 'member', targetId: target, viewerId: viewer, model: 'why-hobby-model' });
    expect(body.reason_en).toBe('You both enjoy climbing');
    expect(body.reason_es).toBe('A ambos os gusta climbing');
    expect(body.reasons).toEqual({ en: 'You both enjoy climbing', es: 'A ambos os gusta climbing' });
    expect(body.features).toEqual([
      {
        name: 'hobbies_jaccard',
        group: 'interests',
        reason_en: 'You both enjoy climbing',
        reason_es: 'A ambos os gusta climbing',
        reasons: { en: 'You both enjoy climbing', es: 'A ambos os gusta climbing' },
      },
    ]);
    // Staff see the values: exact TreeSHAP, the contribution and the expected value add up to the score.
    const staff = (await why(target, await t.token('reviewer', 'why-reviewer'), `?viewerId=${viewer}`)).body;
    expect(staff).toMatchObject({ view: 'staff', score: 1, reason_en: 'You both enjoy climbing' });
    expect(staff.features).toEqual([
      {
        name: 'hobbies_jaccard',
        group: 'interests',
        value: 0.5,
        contribution: expect.any(Number) as number,
        reason_en: 'You both enjoy climbing',
        reason_es: 'A ambos os gusta climbing',
        reasons: { en: 'You both enjoy climbing', es: 'A ambos os gusta climbing' },
      },
    ]);
    expect(staff.expectedValue + staff.features[0]!.contribution).toBeCloseTo(staff.score, 12);
    expect(body.chips).toEqual([
      { en: 'Both appreciate Blade Runner', es: 'A ambos les gusta Blade Runner' },
      { en: 'Both appreciate Alien', es: 'A ambos les gusta Alien' },
      { en: 'Both appreciate climbing', es: 'A ambos les gusta climbing' },
    ]);
  });

  it('gives the generic reason when nothing pushed the pair up', async () => {
    const { status, body } = await why(seeded.candidateIds[1]!);
    expect(status).toBe(200);
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
    const before = t.app.engine.explanations.cacheStats.hits;
    const again = await why(target);
    expect(again.cache).toBe('hit');
    expect(again.body.reason_en).toBe('You both enjoy climbing');
    expect(t.app.engine.explanations.cacheStats.hits).toBe(before + 1);

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
    await registerRanker(t.app.engine.models, 'why-hobby-model-2', hobbyRankerModel());
    await t.app.engine.models.promote('why-hobby-model-2', 'live', 'test');
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

  describe('who may ask, and what a member sees (issue 11)', () => {
    /** A member with saved attributes near the viewer who matches her preferences. */
    async function addMember(id: string, lat = 52.51) {
      await t.scratch.db.query(
        `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
         VALUES ($1, $1, 'man', ARRAY['woman'], '1990-01-02', $2, 13.4, ARRAY['climbing'], now())`,
        [id, lat],
      );
    }
    async function show(viewerId: string, targetId: string, servedAgo = '1 day') {
      await t.scratch.db.query(
        `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm, served_at)
         VALUES (gen_random_uuid(), 0, $1, $2, 'control', now() - $3::interval)`,
        [viewerId, targetId, servedAgo],
      );
    }
    /** The viewer–target distance and age gap as pair features compute them, from what is stored now. */
    async function exactValues(target: string) {
      const { rows } = await t.scratch.db.query<{ id: string; lat: number; lon: number; birthday: string }>(
        `SELECT id, lat, lon, to_char(birthday, 'YYYY-MM-DD') AS birthday FROM members WHERE id = ANY ($1::text[])`,
        [[viewer, target]],
      );
      const [a, b] = [rows.find((row) => row.id === viewer)!, rows.find((row) => row.id === target)!];
      return {
        distance: distanceKm(a.lat, a.lon, b.lat, b.lon),
        ageGap: Math.abs(Date.parse(a.birthday) - Date.parse(b.birthday)) / 86_400_000 / 365.2425,
      };
    }
    /** The 404 message with the asked-for id taken out: an unknown id and a refused one must read alike. */
    const withoutId = (message: string | undefined, id: string) => message?.replace(`"${id}"`, '"…"');

    it('why: a member cannot ask about a member they were never shown (404, same as an unknown id)', async () => {
      await addMember('why-never-shown');
      const unknown = await why('why-nobody-at-all');
      const neverShown = await why('why-never-shown');
      expect([unknown.status, neverShown.status]).toEqual([404, 404]);
      expect(neverShown.body.message).toMatch(/^params\.targetId: /);
      expect(withoutId(neverShown.body.message, 'why-never-shown')).toBe(
        withoutId(unknown.body.message, 'why-nobody-at-all'),
      );
      expect(Object.keys(neverShown.body).sort()).toEqual(Object.keys(unknown.body).sort());
      // Staff may still explain the pair for the member.
      const staff = await why('why-never-shown', await t.token('admin', 'why-admin'), `?viewerId=${viewer}`);
      expect(staff.status).toBe(200);
    });

    it('why: an impression older than 30 days no longer lets a member ask (404)', async () => {
      await addMember('why-shown-long-ago');
      await show(viewer, 'why-shown-long-ago', '31 days');
      const old = await why('why-shown-long-ago');
      expect(old.status).toBe(404);
      expect(withoutId(old.body.message, 'why-shown-long-ago')).toBe(
        withoutId((await why('why-nobody-at-all')).body.message, 'why-nobody-at-all'),
      );
      await show(viewer, 'why-shown-long-ago', '29 days');
      expect((await why('why-shown-long-ago')).status).toBe(200);
    });

    it('why: a block either way ends a member’s explanation (404), also when it was cached', async () => {
      await addMember('why-blocked-by-viewer');
      await addMember('why-blocks-viewer');
      await show(viewer, 'why-blocked-by-viewer');
      await show(viewer, 'why-blocks-viewer');
      expect((await why('why-blocked-by-viewer')).status).toBe(200);
      expect((await why('why-blocks-viewer')).status).toBe(200);
      const unknownMessage = withoutId((await why('why-nobody-at-all')).body.message, 'why-nobody-at-all');
      await t.scratch.db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ($1, $2, 'block')`, [
        viewer,
        'why-blocked-by-viewer',
      ]);
      await t.scratch.db.query(
        `INSERT INTO swipes (viewer_id, target_id, action, reason) VALUES ($1, $2, 'report', 'spam')`,
        ['why-blocks-viewer', viewer],
      );
      for (const target of ['why-blocked-by-viewer', 'why-blocks-viewer']) {
        const refused = await why(target);
        expect(refused.status).toBe(404);
        expect(withoutId(refused.body.message, target)).toBe(unknownMessage);
      }
    });

    it('why: staff with viewerId= still get the exact values, contributions and score', async () => {
      await registerRanker(t.app.engine.models, 'why-profile-model', profileRankerModel());
      await t.app.engine.models.promote('why-profile-model', 'live', 'test');
      await addMember('why-near', 52.52);
      await show(viewer, 'why-near');
      const staff = await why('why-near', await t.token('ml_engineer', 'why-engineer'), `?viewerId=${viewer}`);
      expect(staff.status).toBe(200);
      expect(staff.body.view).toBe('staff');
      const exact = await exactValues('why-near');
      const distance = staff.body.features.find((feature) => feature.name === 'distance_km')!;
      expect(distance.value).toBeCloseTo(exact.distance, 9);
      expect(distance.contribution).toBeGreaterThan(0);
      const age = staff.body.features.find((feature) => feature.name === 'age_gap_years')!;
      expect(age.value).toBeCloseTo(exact.ageGap, 9);
      expect(staff.body.score).toBe(1.5);
      expect(typeof staff.body.expectedValue).toBe('number');
    });

    it('why: a member gets bands and wording, never the exact distance, age gap, contributions or score', async () => {
      const { status, body } = await why('why-near');
      expect(status).toBe(200);
      expect(body.view).toBe('member');
      expect(body).not.toHaveProperty('score');
      expect(body).not.toHaveProperty('expectedValue');
      expect(body.features.map((feature) => feature.name)).toEqual(['distance_km', 'age_gap_years']);
      for (const feature of body.features) {
        expect(feature).not.toHaveProperty('value');
        expect(feature).not.toHaveProperty('contribution');
      }
      expect(body.features[0]!.band).toEqual({ key: 'under_5_km', en: 'under 5 km', es: 'menos de 5 km' });
      expect(body.features[1]!.band).toEqual({
        key: 'within_3_years',
        en: 'within 3 years',
        es: 'hasta 3 años de diferencia',
      });
      expect(body.reason_en).toBe('under 5 km away · Close in age');
      expect(body.reason_es).toBe('A menos de 5 km · Edad parecida');
      const text = JSON.stringify(body);
      const exact = await exactValues('why-near');
      for (const value of [exact.distance, exact.ageGap]) {
        for (const digits of [value.toFixed(1), value.toFixed(2), value.toFixed(3), String(value)]) {
          expect(text).not.toContain(digits);
        }
      }
    });

    it('why: a staff view cached for a pair is never served to the member, nor the member view to staff', async () => {
      await addMember('why-cache-pair', 52.53);
      await show(viewer, 'why-cache-pair');
      const reviewer = await t.token('reviewer', 'why-reviewer');
      const staffFirst = await why('why-cache-pair', reviewer, `?viewerId=${viewer}`);
      expect([staffFirst.cache, staffFirst.body.view]).toEqual(['miss', 'staff']);
      const member = await why('why-cache-pair');
      expect(member.body.view).toBe('member');
      expect(member.body).not.toHaveProperty('score');
      expect(member.body.features.every((feature) => !('value' in feature))).toBe(true);
      const memberAgain = await why('why-cache-pair');
      expect([memberAgain.cache, memberAgain.body.view]).toEqual(['hit', 'member']);
      const staffAgain = await why('why-cache-pair', reviewer, `?viewerId=${viewer}`);
      expect([staffAgain.cache, staffAgain.body.view]).toEqual(['hit', 'staff']);
      expect(staffAgain.body.features[0]).toHaveProperty('value');
    });
  });
});
