// Issue 11, "every route has a rate limit": each expensive route answers 429 with Retry-After past its
// bucket's configured limit, every other route has the general cap (per member, or per address on public
// routes), a named limit is shared by two app instances on one database, and the database counters refuse
// a second burst right after a minute boundary (the fixed window they replace let 2 × limit through).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitsConfig } from '../../server/config/config.js';
import { SlidingWindowRateLimiter } from '../../server/http/rate-limit.js';
import { RateLimitRepository } from '../../server/http/rate-limit.repository.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const LIMIT = 2;
const LIMITS: RateLimitsConfig = {
  slate: LIMIT,
  why: LIMIT,
  rank: LIMIT,
  embed: LIMIT,
  spotifyImport: LIMIT,
  graphql: LIMIT,
  feedback: LIMIT,
  events: LIMIT,
  member: 4,
  public: 4,
  realtime: LIMIT,
};
const MINUTE = 60_000;

interface NamedRoute {
  bucket: keyof RateLimitsConfig;
  label: string;
  method: 'GET' | 'POST';
  url: string;
  payload?: Record<string, unknown>;
  role?: 'member' | 'admin';
}

/** One request per named bucket; whether it would succeed does not matter: every request is counted. */
const NAMED: NamedRoute[] = [
  { bucket: 'slate', label: 'slate', method: 'GET', url: '/api/v2/discovery/slate' },
  { bucket: 'why', label: 'explanation', method: 'GET', url: '/api/v2/discovery/why/someone-else' },
  { bucket: 'rank', label: 'rank', method: 'POST', url: '/api/v2/discovery/rank', payload: { candidateIds: ['x'] } },
  { bucket: 'embed', label: 'embed', method: 'POST', url: '/api/v2/embed', payload: { communities: ['Chess Club'] } },
  {
    bucket: 'embed',
    label: 'embed',
    method: 'POST',
    url: '/api/v2/media/embed',
    payload: { mediaId: 'tt0000001' },
    role: 'admin',
  },
  { bucket: 'spotifyImport', label: 'Spotify import', method: 'POST', url: '/api/v2/favorites/import/spotify' },
  { bucket: 'graphql', label: 'GraphQL', method: 'POST', url: '/graphql', payload: { query: '{ me { memberId } }' } },
  {
    bucket: 'feedback',
    label: 'feedback',
    method: 'POST',
    url: '/api/v2/discovery/feedback',
    payload: { targetId: 'someone-else', action: 'pass' },
  },
  { bucket: 'events', label: 'behaviour event', method: 'POST', url: '/api/v2/events', payload: { events: [] } },
];

describe.each(databaseKinds)('rate limits [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { config: { rateLimits: LIMITS } });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(app: TestApp, route: NamedRoute, subject: string) {
    const headers = bearer(await app.token(route.role ?? 'member', subject));
    return app.app.inject({ method: route.method, url: route.url, headers, payload: route.payload });
  }

  function expectRefused(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
    expect(response.statusCode).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    return { retryAfter, body: response.json() as { statusCode: number; error: string; message: string } };
  }

  it('rate limits: every route has a bucket, and the expensive ones have their own', () => {
    const buckets = new Map(t.app.rateLimitCatalog.map((entry) => [`${entry.method} ${entry.url}`, entry.bucket]));
    for (const route of t.app.routeCatalog) {
      expect(buckets.get(`${route.method} ${route.url}`), `${route.method} ${route.url}`).toBeDefined();
    }
    for (const route of NAMED)
      expect(buckets.get(`${route.method} ${route.url.replace('someone-else', ':targetId')}`)).toBe(route.bucket);
    expect(buckets.get('GET /healthz')).toBe('public');
    expect(buckets.get('GET /api/v2/users/me/attributes')).toBe('member');
  });

  it.each(NAMED)('rate limits: $method $url answers 429 with Retry-After past its $bucket limit', async (route) => {
    const subject = `limited-${route.url}`;
    for (let i = 0; i < LIMIT; i++) expect((await send(t, route, subject)).statusCode).not.toBe(429);
    const { retryAfter, body } = expectRefused(await send(t, route, subject));
    expect(body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit: at most ${LIMIT} ${route.label} requests per minute per member; retry in ${retryAfter} s`,
    });
    // Another member has a budget of their own.
    expect((await send(t, route, `${subject}-other`)).statusCode).not.toBe(429);
  });

  it('rate limits: every other authenticated route has the general per-member cap', async () => {
    const route: NamedRoute = { bucket: 'member', label: 'API', method: 'GET', url: '/api/v2/users/me/attributes' };
    for (let i = 0; i < LIMITS.member; i++) expect((await send(t, route, 'busy')).statusCode).not.toBe(429);
    const { body } = expectRefused(await send(t, route, 'busy'));
    expect(body.message).toMatch(/^rate limit: at most 4 API requests per minute per member; retry in \d+ s$/);
  });

  it('rate limits: public routes have a per-address cap', async () => {
    const healthz = (remoteAddress: string) => t.app.inject({ method: 'GET', url: '/healthz', remoteAddress });
    for (let i = 0; i < LIMITS.public; i++) expect((await healthz('198.51.100.7')).statusCode).toBe(200);
    const { body } = expectRefused(await healthz('198.51.100.7'));
    expect(body.message).toMatch(/^rate limit: at most 4 API requests per minute per client address; retry in \d+ s$/);
    expect((await healthz('198.51.100.8')).statusCode).toBe(200);
  });

  it('rate limits: the 429 is documented on every route', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json', remoteAddress: '198.51.100.9' })).json();
    expect(Object.keys(spec.paths['/api/v2/discovery/slate'].get.responses)).toContain('429');
    expect(Object.keys(spec.paths['/healthz'].get.responses)).toContain('429');
  });

  it('rate limits: a named limit is shared by two app instances on the same database', async () => {
    const replicas = [
      await startTestApp(kind, { scratch: t.scratch, config: { rateLimits: LIMITS } }),
      await startTestApp(kind, { scratch: t.scratch, config: { rateLimits: LIMITS } }),
    ];
    try {
      const slate = NAMED[0]!;
      for (let i = 0; i < LIMIT; i++) expect((await send(replicas[i % 2]!, slate, 'roaming')).statusCode).not.toBe(429);
      for (const replica of replicas) expectRefused(await send(replica, slate, 'roaming'));
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });

  it('rate limits: a burst at a minute boundary cannot pass twice the limit (database counters, 100 at 59.9 s, 100 at 60.1 s)', async () => {
    const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
    let now = T0 + 59_900;
    const limiter = new SlidingWindowRateLimiter(new RateLimitRepository(t.scratch.db), () => now);
    const burst = async () => {
      const decisions = [];
      for (let i = 0; i < 100; i++) decisions.push(await limiter.take('feedback', 'member:burst', 100));
      return decisions;
    };
    expect((await burst()).filter((d) => d.allowed)).toHaveLength(100);
    now = T0 + MINUTE + 100;
    const second = await burst();
    expect(second.filter((d) => d.allowed)).toHaveLength(0);
    expect(second[0]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Two minutes on, the first burst no longer counts and its window row is gone.
    now = T0 + 3 * MINUTE;
    expect(await limiter.take('feedback', 'member:burst', 100)).toEqual({ allowed: true });
    const { rows } = await t.scratch.db.query<{ window_start: Date | string; count: number }>(
      `SELECT window_start, count FROM rate_limit_windows WHERE subject = 'member:burst'`,
    );
    expect(rows.map((row) => [new Date(row.window_start).getTime(), Number(row.count)])).toEqual([
      [T0 + 3 * MINUTE, 1],
    ]);
  });
});
