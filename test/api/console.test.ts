// The console's server side: the built renderer at /console (SPA fallback, cache headers, CSP, the
// "not built" page), sign-in (GET /api/v2/session), member-preview tokens (including with an identity
// provider's tokens, which the server cannot mint), and the operators' overview on each database.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from '../../server/auth/auth.plugin.js';
import { createTokenVerifier } from '../../server/auth/tokens.js';
import { CONSOLE_CONTENT_SECURITY_POLICY, consoleStaticRoutes } from '../../server/console/console-static.js';
import { registerErrorHandling } from '../../server/http/errors.js';
import type { Overview } from '../../shared/schemas/console.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, memberWithProfile, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const INDEX_HTML = '<!doctype html><html><head><title>console</title></head><body><div id="root"></div></body></html>';
const ASSET_JS = 'console.log("console");';

/** The static routes alone, over a build folder of the test's own (the auth plugin checks their access). */
async function staticApp(rendererDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(authPlugin, { verifyToken: createTokenVerifier(testConfig().auth) });
  await app.register(consoleStaticRoutes, { rendererDir });
  await app.ready();
  return app;
}

describe('the console at /console', () => {
  let buildDir: string;
  let emptyDir: string;
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    buildDir = mkdtempSync(path.join(tmpdir(), 'sde-console-build-'));
    mkdirSync(path.join(buildDir, 'assets'));
    writeFileSync(path.join(buildDir, 'index.html'), INDEX_HTML);
    writeFileSync(path.join(buildDir, 'assets', 'index-abc123.js'), ASSET_JS);
    writeFileSync(path.join(buildDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    emptyDir = mkdtempSync(path.join(tmpdir(), 'sde-console-empty-'));
    app = await staticApp(buildDir);
    unbuilt = await staticApp(emptyDir);
  });
  afterAll(async () => {
    await app?.close();
    await unbuilt?.close();
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('redirects /console to /console/', async () => {
    const response = await app.inject({ method: 'GET', url: '/console' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/console/');
  });

  it('serves the index without caching and with the security headers, no token needed', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(response.headers['content-security-policy']).toContain("script-src 'self';");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers app routes with the index so a reload of a deep link works', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/slates/demo-00042' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(INDEX_HTML);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(ASSET_JS);
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
  });

  it('serves other build files with revalidation', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/favicon.svg' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset with 404, not the index', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/assets/missing.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/^path: \/console\/assets\/missing\.js/);
  });

  it('never serves a file outside the build folder', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/%2e%2e/%2e%2e/etc/passwd' });
    expect(response.body).not.toContain('root:');
    expect([200, 403, 404]).toContain(response.statusCode);
    if (response.statusCode === 200) expect(response.body).toBe(INDEX_HTML);
  });

  it('says the console is not built (503) when out/renderer has no index', async () => {
    const response = await unbuilt.inject({ method: 'GET', url: '/console/' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('The console is not built: run <code>npm run build</code>');
    const deep = await unbuilt.inject({ method: 'GET', url: '/console/overview' });
    expect(deep.statusCode).toBe(503);
  });
});

describe.each(databaseKinds)('console API [%s]', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    // No job workers: the re-embed jobs that saving attributes queues would change the vector counts.
    t = await startTestApp(kind, { config: { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } } });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/v2/session', () => {
    it.each(['member', 'reviewer', 'ml_engineer', 'admin'] as const)('tells a %s who it is', async (role) => {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/v2/session',
        headers: bearer(await t.token(role, `${role}-session`)),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ subject: `${role}-session`, role, canMintPreviewTokens: true });
    });

    it('needs a token', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/v2/session' });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('POST /api/v2/admin/preview-tokens', () => {
    const url = '/api/v2/admin/preview-tokens';

    it('mints a 15-minute member token that the member API accepts as that member', async () => {
      await memberWithProfile(t, 'preview-target');
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: bearer(await t.token('reviewer')),
        payload: { memberId: 'preview-target' },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toEqual({
        token: expect.any(String),
        subject: 'preview-target',
        role: 'member',
        expiresInSeconds: 900,
        write: false,
      });
      const claims = decodeJwt(body.token);
      expect(claims.sub).toBe('preview-target');
      expect(claims.role).toBe('member');
      expect(claims.exp! - claims.iat!).toBe(900);
      const asMember = await t.app.inject({
        method: 'GET',
        url: '/api/v2/users/me/attributes',
        headers: bearer(body.token),
      });
      expect(asMember.statusCode).toBe(200);
      expect(asMember.json().memberId).toBe('preview-target');
      const session = await t.app.inject({ method: 'GET', url: '/api/v2/session', headers: bearer(body.token) });
      expect(session.json()).toMatchObject({ subject: 'preview-target', role: 'member' });
    });

    it('answers 404 naming body.memberId for an unknown, deleted or attribute-less member', async () => {
      const admin = bearer(await t.token('admin'));
      await memberWithProfile(t, 'preview-deleted');
      await t.scratch.db.query(`UPDATE members SET deleted_at = now() WHERE id = 'preview-deleted'`);
      await t.scratch.db.query(`INSERT INTO members (id) VALUES ('preview-no-attributes')`);
      for (const memberId of ['nobody-here', 'preview-deleted', 'preview-no-attributes']) {
        const response = await t.app.inject({ method: 'POST', url, headers: admin, payload: { memberId } });
        expect(response.statusCode).toBe(404);
        expect(response.json().message).toMatch(new RegExp(`^body\\.memberId: member "${memberId}"`));
      }
    });

    it('refuses bad bodies naming the field', async () => {
      const admin = bearer(await t.token('admin'));
      const cases: Array<[unknown, RegExp]> = [
        [{}, /^body\.memberId is required/],
        [{ memberId: '' }, /^body\.memberId/],
        [{ memberId: 'x'.repeat(129) }, /^body\.memberId/],
        [{ memberId: 'preview-target', role: 'admin' }, /^body\.role is not a known field/],
      ];
      for (const [payload, message] of cases) {
        const response = await t.app.inject({ method: 'POST', url, headers: admin, payload: payload as object });
        expect(response.statusCode).toBe(400);
        expect(response.json().message).toMatch(message);
      }
    });

    it('is for reviewers and admins only', async () => {
      for (const role of ['member', 'ml_engineer'] as const) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          headers: bearer(await t.token(role)),
          payload: { memberId: 'preview-target' },
        });
        expect(response.statusCode).toBe(403);
      }
    });
  });

  describe('GET /api/v2/admin/overview', () => {
    const url = '/api/v2/admin/overview';

    it('counts members, vectors and activity, with the live model and the job queues', async () => {
      const db = t.scratch.db;
      const before = (
        await t.app.inject({ method: 'GET', url, headers: bearer(await t.token('reviewer')) })
      ).json<Overview>();

      await memberWithProfile(t, 'ov-viewer');
      await memberWithProfile(t, 'ov-candidate');
      await memberWithProfile(t, 'ov-opted-out');
      await memberWithProfile(t, 'ov-deleted');
      await db.query(
        `UPDATE members SET share_interests = false, share_behavioural = false, share_connectors = false,
                            share_favorites = false WHERE id = 'ov-opted-out'`,
      );
      await db.query(`UPDATE members SET deleted_at = now() WHERE id = 'ov-deleted'`);
      await db.query(`INSERT INTO members (id) VALUES ('ov-no-attributes')`);
      const vector = JSON.stringify(Array.from({ length: 256 }, () => 0.0625));
      await db.query(
        `INSERT INTO user_taste_vectors (user_id, taste, model_version) VALUES ($1, $2, 'ov-model-a'), ($3, $2, 'ov-model-b')`,
        ['ov-viewer', vector, 'ov-candidate'],
      );
      const slateId = '4a4d0d1e-8a52-4a4f-9d7e-0c5e2b1f0a01';
      await db.query(
        `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id) VALUES ($1, 0, 'ov-viewer', 'ov-candidate'),
                ($1, 1, 'ov-viewer', 'ov-opted-out')`,
        [slateId],
      );
      await db.query(`INSERT INTO swipes (viewer_id, target_id, action) VALUES ('ov-viewer', 'ov-candidate', 'like')`);
      await db.query(
        `INSERT INTO swipes (viewer_id, target_id, action, created_at)
         VALUES ('ov-viewer', 'ov-opted-out', 'pass', now() - interval '3 days')`,
      );

      const response = await t.app.inject({ method: 'GET', url, headers: bearer(await t.token('ml_engineer')) });
      expect(response.statusCode).toBe(200);
      const after = response.json<Overview>();
      expect(after.members.total - before.members.total).toBe(4);
      expect(after.members.withAttributes - before.members.withAttributes).toBe(3);
      expect(after.members.deleted - before.members.deleted).toBe(1);
      expect(after.members.optedOut - before.members.optedOut).toBe(1);
      expect(after.vectors.count - before.vectors.count).toBe(2);
      expect(after.vectors.models).toEqual(
        expect.arrayContaining([
          { version: 'ov-model-a', count: 1 },
          { version: 'ov-model-b', count: 1 },
        ]),
      );
      expect(after.vectors.coverage).toBeGreaterThan(0);
      expect(after.vectors.coverage).toBeLessThanOrEqual(1);

      expect(after.activity.hours).toHaveLength(48);
      const current = after.activity.hours.at(-1)!;
      const previous = before.activity.hours.at(-1)!;
      // The inserts above happened in the current hour (or the next one, right at its start).
      const slatesNow = current.hour === previous.hour ? current.slates - previous.slates : current.slates;
      const swipesNow = current.hour === previous.hour ? current.swipes - previous.swipes : current.swipes;
      expect(slatesNow).toBe(1);
      expect(swipesNow).toBe(1);
      // The 3-day-old swipe is outside the window.
      expect(after.activity.hours.reduce((sum, hour) => sum + hour.swipes, 0)).toBe(
        before.activity.hours.reduce((sum, hour) => sum + hour.swipes, 0) + 1,
      );

      expect(after.jobs.workersRunning).toBe(false);
      expect(after.jobs.queues.map((queue) => queue.name)).toContain('dwell_refresh');
      expect(after.dwell).toMatchObject({ rows: expect.any(Number) });
    });

    it('reports the live ranker with its metrics, and none before one is live', async () => {
      const db = t.scratch.db;
      const headers = bearer(await t.token('admin'));
      const none = (await t.app.inject({ method: 'GET', url, headers })).json<Overview>();
      expect(none.liveModel).toBeNull();
      await db.query(
        `INSERT INTO model_versions (id, kind, status, metrics, created_by, status_changed_by)
         VALUES ('ov-live', 'ranker', 'live', '{"ndcg@10": 0.61}', 'test', 'test')`,
      );
      const live = (await t.app.inject({ method: 'GET', url, headers })).json<Overview>();
      expect(live.liveModel).toEqual({
        id: 'ov-live',
        metrics: { 'ndcg@10': 0.61 },
        statusChangedAt: expect.any(String),
      });
    });

    it('reports dwell freshness from user_dwell_avg', async () => {
      const db = t.scratch.db;
      await db.query(
        `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('ov-viewer', 'ov-candidate', 'dwell', 1200)`,
      );
      await db.query('REFRESH MATERIALIZED VIEW user_dwell_avg');
      const response = await t.app.inject({ method: 'GET', url, headers: bearer(await t.token('reviewer')) });
      const { dwell } = response.json<Overview>();
      expect(dwell.rows).toBeGreaterThanOrEqual(1);
      expect(dwell.lastEventAt).not.toBeNull();
    });

    it('is for staff only', async () => {
      const member = await t.app.inject({ method: 'GET', url, headers: bearer(await t.token('member')) });
      expect(member.statusCode).toBe(403);
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(401);
    });
  });
});

describe('the console API with an identity provider (JWKS)', () => {
  let t: TestApp;
  let jwksServer: Server;
  let sign: (role: string) => Promise<string>;
  const issuer = 'https://idp.example.test';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    sign = (role) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setSubject(`idp-${role}`)
        .setIssuer(issuer)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(pair.privateKey);
    t = await startTestApp('pglite', {
      config: {
        auth: { kind: 'jwks', jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer, roleClaim: 'role' },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('says preview tokens cannot be minted, and refuses to mint one with 409', async () => {
    const headers = bearer(await sign('admin'));
    const session = await t.app.inject({ method: 'GET', url: '/api/v2/session', headers });
    expect(session.json()).toEqual({ subject: 'idp-admin', role: 'admin', canMintPreviewTokens: false });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/admin/preview-tokens',
      headers,
      payload: { memberId: 'anyone' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toBe('auth: preview needs locally signed tokens (SDE_JWT_SECRET)');
  });
});
