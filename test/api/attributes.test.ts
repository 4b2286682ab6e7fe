// Profiles over REST: the first PUT creates the member, later PUTs replace, every save queues a
// re-embed, and bad input is a 4xx naming the field — never a 500, never a lost row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';

const PATH = '/api/v2/users/me/attributes';

function withField(path: string, value: unknown): Record<string, unknown> {
  const body = validAttributes();
  const keys = path.split('.');
  let cursor = body;
  for (const key of keys.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete cursor[last];
  else cursor[last] = value;
  return body;
}

const badBodies: Array<{ name: string; body: unknown; status: number; field: string }> = [
  { name: 'missing birthday', body: withField('birthday', undefined), status: 400, field: 'body.birthday' },
  { name: 'lat as a string', body: withField('location.lat', '52.5'), status: 400, field: 'body.location.lat' },
  { name: 'lat out of range', body: withField('location.lat', 91), status: 400, field: 'body.location.lat' },
  { name: 'lon out of range', body: withField('location.lon', -181), status: 400, field: 'body.location.lon' },
  { name: 'hobbies not an array', body: withField('hobbies', 'climbing'), status: 400, field: 'body.hobbies' },
  {
    name: 'too many hobbies',
    body: withField(
      'hobbies',
      Array.from({ length: 31 }, (_, i) => `hobby ${i}`),
    ),
    status: 400,
    field: 'body.hobbies',
  },
  { name: 'hobby too long', body: withField('hobbies', ['x'.repeat(61)]), status: 400, field: 'body.hobbies[0]' },
  { name: 'duplicate community', body: withField('communities', ['a', 'a']), status: 400, field: 'body.communities' },
  { name: 'unknown gender', body: withField('gender', 'robot'), status: 400, field: 'body.gender' },
  { name: 'empty seeking', body: withField('seeking', []), status: 400, field: 'body.seeking' },
  { name: 'unknown field', body: { ...validAttributes(), nickname: 'x' }, status: 400, field: 'body.nickname' },
  { name: 'birthday not a date', body: withField('birthday', '1992-02-30'), status: 400, field: 'body.birthday' },
  { name: 'birthday in the future', body: withField('birthday', '2999-01-01'), status: 422, field: 'body.birthday' },
  {
    name: 'under 18',
    body: withField('birthday', `${new Date().getUTCFullYear() - 17}-01-01`),
    status: 422,
    field: 'body.birthday',
  },
  {
    name: 'connector with a bad name',
    body: withField('connectors', { 'Spotify!': { connected: true } }),
    status: 400,
    field: 'body.connectors',
  },
  {
    name: 'connector of the wrong shape',
    body: withField('connectors', { spotify: true }),
    status: 400,
    field: 'body.connectors.spotify',
  },
  { name: 'body is an array', body: [validAttributes()], status: 400, field: 'body' },
];

describe.each(databaseKinds)('profile attributes over REST [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 before the first save, creates on the first PUT and replaces on the next', async () => {
    const token = await t.token('member', 'member-create');
    const before = await t.app.inject({ method: 'GET', url: PATH, headers: bearer(token) });
    expect(before.statusCode).toBe(404);
    expect(before.json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: expect.stringContaining('attributes'),
    });

    const created = await t.app.inject({
      method: 'PUT',
      url: PATH,
      headers: bearer(token),
      payload: validAttributes(),
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ memberId: 'member-create', ...validAttributes() });

    const changed = { ...validAttributes(), hobbies: ['sailing'], location: { lat: -33.87, lon: 151.21 } };
    const updated = await t.app.inject({ method: 'PUT', url: PATH, headers: bearer(token), payload: changed });
    expect(updated.statusCode).toBe(200);

    const read = await t.app.inject({ method: 'GET', url: PATH, headers: bearer(token) });
    expect(read.statusCode).toBe(200);
    const body = read.json();
    expect(body).toMatchObject({
      memberId: 'member-create',
      hobbies: ['sailing'],
      location: { lat: -33.87, lon: 151.21 },
    });
    expect(body.location).not.toHaveProperty('place');
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(0);
  });

  it('keeps members apart: each token subject sees only its own attributes', async () => {
    const alice = await t.token('member', 'member-alice');
    const bob = await t.token('member', 'member-bob');
    await t.app.inject({ method: 'PUT', url: PATH, headers: bearer(alice), payload: validAttributes() });
    const bobReads = await t.app.inject({ method: 'GET', url: PATH, headers: bearer(bob) });
    expect(bobReads.statusCode).toBe(404);
  });

  it('queues a re-embed in the same transaction as the save, one waiting job per member', async () => {
    const token = await t.token('member', 'member-reembed');
    for (let i = 0; i < 3; i++) {
      const saved = await t.app.inject({
        method: 'PUT',
        url: PATH,
        headers: bearer(token),
        payload: validAttributes(),
      });
      expect(saved.statusCode).toBeLessThan(300);
    }
    const jobs = await t.scratch.db.query<{ state: string; data: { memberId: string; reason: string } }>(
      `SELECT state::text AS state, data FROM pgboss.job WHERE name = 'member_reembed' AND data->>'memberId' = $1`,
      ['member-reembed'],
    );
    expect(jobs.rows).toHaveLength(1);
    expect(jobs.rows[0]).toMatchObject({
      state: 'created',
      data: { memberId: 'member-reembed', reason: 'profile_saved' },
    });
  });

  it.each(badBodies)('rejects $name with $status naming $field', async ({ body, status, field }) => {
    const subject = `member-bad-${Math.random().toString(36).slice(2)}`;
    const token = await t.token('member', subject);
    const response = await t.app.inject({ method: 'PUT', url: PATH, headers: bearer(token), payload: body as object });
    expect(response.statusCode).toBe(status);
    const error = response.json();
    expect(Object.keys(error).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(error.message.startsWith(field)).toBe(true);
    const stored = await t.scratch.db.query('SELECT 1 FROM members WHERE id = $1', [subject]);
    expect(stored.rows).toHaveLength(0);
  });

  it('rejects a body that is not JSON, and leaves the stored attributes untouched', async () => {
    const token = await t.token('member', 'member-keep');
    await t.app.inject({ method: 'PUT', url: PATH, headers: bearer(token), payload: validAttributes() });
    const broken = await t.app.inject({
      method: 'PUT',
      url: PATH,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"location": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^body/);
    const invalid = await t.app.inject({
      method: 'PUT',
      url: PATH,
      headers: bearer(token),
      payload: withField('location.lat', 'north'),
    });
    expect(invalid.statusCode).toBe(400);
    const read = await t.app.inject({ method: 'GET', url: PATH, headers: bearer(token) });
    expect(read.json()).toMatchObject(validAttributes());
  });
});
