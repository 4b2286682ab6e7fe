// Property-based fuzz of every route in the OpenAPI document, with each role's token and without one:
// malformed types, missing and extra fields, oversize strings and arrays, control characters, bad
// JSON and bad encodings. The property: the server answers every request, with something other than
// a 5xx, and no request hangs. Seeded, so a failure reproduces (SDE_FUZZ_SEED, SDE_FUZZ_RUNS).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/schemas/roles.js';
import { databaseKinds } from '../support/databases.js';
import { fuzzRequest, resolver, type JsonSchema, type OpenApiOperation } from '../support/fuzz-requests.js';
import { startAppForRouteWalk } from '../support/route-walk.js';
import { bearer, type TestApp } from '../support/test-app.js';

const SEED = Number(process.env.SDE_FUZZ_SEED ?? 20261203);
const RUNS_PER_ROUTE = Number(process.env.SDE_FUZZ_RUNS ?? 100);
/** Far above any route's real cost here: a request still unanswered by then is a hang. */
const HANG_MS = 20_000;

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

describe.each(databaseKinds)('route fuzz [%s]', (kind) => {
  let t: TestApp;
  const tokens = new Map<Caller, Record<string, string>>();
  beforeAll(async () => {
    // Jobs stay queued (no workers), so what a fuzzed request enqueues cannot load the machine meanwhile.
    t = await startAppForRouteWalk(kind, { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } });
    tokens.set('anonymous', {});
    for (const role of ROLES) tokens.set(role, bearer(await t.token(role)));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers every fuzzed request to every route without a 5xx or a hang', async () => {
    const document = t.app.swagger() as unknown as OpenApiDocument;
    const resolve = resolver(document);
    const failures: string[] = [];
    let requests = 0;
    // Erasing the caller would leave every later route answering 404 for that role: erase last.
    const erasesCaller = (route: { method: string; url: string }) =>
      route.method === 'DELETE' && route.url === '/api/v2/users/me';
    const routes = [...t.app.routeCatalog].sort((a, b) => Number(erasesCaller(a)) - Number(erasesCaller(b)));
    for (const route of routes) {
      const operation = document.paths[route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      // A server-sent-events stream answers a valid request with a body that never ends, which this test
      // would call a hang; its refusals are checked over real HTTP in test/api/realtime-user-behavior.test.ts.
      if (operation?.responses?.['200']?.content?.['text/event-stream']) continue;
      const property = fc.asyncProperty(
        fuzzRequest(route, operation, resolve),
        fc.constantFrom(...CALLERS),
        async (request, caller) => {
          requests++;
          const response = await answeredWithin(
            t.app.inject({
              method: route.method as 'GET',
              url: request.url,
              headers: { ...request.headers, ...tokens.get(caller) },
              payload: request.body,
            }),
            HANG_MS,
          );
          if (response === 'hang' || response.statusCode >= 500) {
            const outcome =
              response === 'hang'
                ? `no answer within ${HANG_MS} ms`
                : `${response.statusCode} ${response.body.slice(0, 200)}`;
            throw new Error(
              `${route.method} ${request.url.slice(0, 200)} as ${caller} (${request.headers['content-type'] ?? 'no body'}: ${String(request.body).slice(0, 200)}) → ${outcome}`,
            );
          }
        },
      );
      const details = await fc.check(property, { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true });
      if (details.failed) failures.push(`${route.method} ${route.url}: ${String(details.errorInstance)}`);
    }
    // The server is still well after all of it.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(requests).toBeGreaterThan(t.app.routeCatalog.length * RUNS_PER_ROUTE * 0.9);
    expect(failures).toEqual([]);
  }, 900_000);
});

async function answeredWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
