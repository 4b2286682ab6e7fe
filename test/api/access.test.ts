// Every route × every role: no token → 401, a role the route does not list → 403, a listed role is served.
// A new route without an example request (test/support/route-examples/) fails this test, so none can
// skip its access check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/schemas/roles.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, customToken, validAttributes, type TestApp } from '../support/test-app.js';
import { routeExamples as examples, startAppForRouteWalk } from '../support/route-walk.js';

describe.each(databaseKinds)('route access [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startAppForRouteWalk(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const [route, example] of Object.entries(examples)) {
    if (example.unavailable) it.skip(`serves ${route} to its roles: skipped, ${example.unavailable}`, () => undefined);
  }

  it('has an example request for every route', () => {
    const missing = t.app.routeCatalog.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in examples));
    expect(missing).toEqual([]);
  });

  it('answers every route × role as its access declares', async () => {
    const outcomes: string[] = [];
    for (const route of t.app.routeCatalog) {
      const example = examples[`${route.method} ${route.url}`] ?? {};
      const callers: Array<Role | 'anonymous'> = ['anonymous', ...ROLES];
      for (const caller of callers) {
        const allowed = route.access === 'public' || (caller !== 'anonymous' && route.access.includes(caller));
        // Refusals never reach the handler, so they are checked even when the example cannot be served.
        if (allowed && example.unavailable) continue;
        const subject = typeof example.subject === 'function' ? example.subject(caller as Role) : example.subject;
        const headers = caller === 'anonymous' ? {} : bearer(await t.token(caller, subject));
        // Refused callers never reach the handler; they use the admin's example.
        const as: Role = caller === 'anonymous' ? 'admin' : caller;
        const exampleUrl = example.url;
        const url = typeof exampleUrl === 'function' ? exampleUrl(as) : exampleUrl;
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: url ?? route.url,
          headers: { ...example.headers, ...headers },
          payload: (example.payloadFor ? example.payloadFor(as) : example.payload) as object | undefined,
        });
        // The docs' static index answers with a redirect: anything below 400 is a served request.
        const expected = allowed ? 'served' : caller === 'anonymous' ? '401' : '403';
        const actual = response.statusCode < 400 ? 'served' : String(response.statusCode);
        if (actual !== expected)
          outcomes.push(`${route.method} ${route.url} as ${caller}: ${actual}, expected ${expected}`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  const jobsUrl = '/api/v2/admin/jobs';

  it.each([
    ['a malformed token', 'not-a-jwt', 'malformed'],
    ['a token with a bad signature', 'SIGNED_WITH_OTHER_SECRET', 'signature'],
    ['an expired token', 'EXPIRED', 'expired'],
    ['a token without a subject', 'NO_SUB', '"sub"'],
    ['an unsigned token (alg none)', 'ALG_NONE', 'algorithm'],
  ])('answers 401 naming the problem for %s', async (_name, kindOfToken, fragment) => {
    const now = Math.floor(Date.now() / 1000);
    const token =
      kindOfToken === 'SIGNED_WITH_OTHER_SECRET'
        ? await customToken({ role: 'admin' }, { subject: 'x', secret: 'another-secret-another-secret-another-secret' })
        : kindOfToken === 'EXPIRED'
          ? await customToken({ role: 'admin' }, { subject: 'x', expiresAt: now - 60 })
          : kindOfToken === 'NO_SUB'
            ? await customToken({ role: 'admin' })
            : kindOfToken === 'ALG_NONE'
              ? `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
                  JSON.stringify({ sub: 'x', role: 'admin' }),
                ).toString('base64url')}.`
              : kindOfToken;
    const response = await t.app.inject({ method: 'GET', url: jobsUrl, headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('invalid_token');
    expect(response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringContaining(fragment),
    });
  });

  it('answers 401 for a header that is not a bearer token', async () => {
    const response = await t.app.inject({ method: 'GET', url: jobsUrl, headers: { authorization: 'Basic abc' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('Bearer');
  });

  it('answers 403 naming the claim when the role is not one SDE knows', async () => {
    const token = await customToken({ role: 'authenticated' }, { subject: 'x' });
    const response = await t.app.inject({ method: 'GET', url: jobsUrl, headers: bearer(token) });
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('claim "role"');
  });

  it('treats a token without a role claim as a member', async () => {
    const token = await customToken({}, { subject: 'plain-member' });
    const jobs = await t.app.inject({ method: 'GET', url: jobsUrl, headers: bearer(token) });
    expect(jobs.statusCode).toBe(403);
    const own = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(token),
      payload: validAttributes(),
    });
    expect(own.statusCode).toBe(201);
  });

  it('answers unknown routes with the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v2/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.stringContaining('/api/v2/nothing-here'),
    });
  });
});
