// Production identity providers: tokens signed by an issuer's keys (fetched from its JWKS URL, here a
// local HTTP server), checked against the issuer, with the role read from a nested claim.
// Auth does not touch the database, so this runs on PGlite only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const ISSUER = 'https://idp.example.test/auth/v1';

describe('JWKS tokens from an identity provider', () => {
  let t: TestApp;
  let jwksServer: Server;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  const sign = (claims: Record<string, unknown>, options: { key?: CryptoKey; issuer?: string; kid?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'key-1' })
      .setSubject('supabase-user-1')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(options.key ?? signingKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    t = await startTestApp('pglite', {
      config: {
        auth: {
          kind: 'jwks',
          jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
          issuer: ISSUER,
          audience: 'authenticated',
          roleClaim: 'app_metadata.sde_role',
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('accepts the issuer’s token and reads the role from the nested claim', async () => {
    const token = await sign({ role: 'authenticated', app_metadata: { sde_role: 'admin' } });
    const response = await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(token) });
    expect(response.statusCode).toBe(200);
  });

  it('treats a token without the role claim as a member', async () => {
    const token = await sign({ role: 'authenticated' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(token) })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes', headers: bearer(token) })).statusCode,
    ).toBe(404);
  });

  it.each([
    ['another issuer', { issuer: 'https://evil.example.test' }, 'claim "iss"'],
    ['a key the issuer does not publish', { key: undefined as CryptoKey | undefined, kid: 'key-2' }, 'no key'],
    ['a forged signature under the published key id', { forge: true }, 'signature'],
  ])('refuses a token from %s', async (_name, variant, fragment) => {
    const token =
      'forge' in variant
        ? await sign({ app_metadata: { sde_role: 'admin' } }, { key: otherKey })
        : await sign({ app_metadata: { sde_role: 'admin' } }, variant);
    const response = await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain(fragment);
  });

  it('why: an identity provider’s token without "exp" or living past its role’s cap is refused (401)', async () => {
    const noExp = await new SignJWT({ app_metadata: { sde_role: 'admin' } })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('supabase-user-1')
      .setIssuer(ISSUER)
      .setAudience('authenticated')
      .setIssuedAt()
      .sign(signingKey);
    const refused = await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(noExp) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toContain('"exp"');
    const tooLong = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setSubject('supabase-user-1')
      .setIssuer(ISSUER)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('2d')
      .sign(signingKey);
    const member = await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes', headers: bearer(tooLong) });
    expect(member.statusCode).toBe(401);
    expect(member.json().message).toMatch(/lifetime.*member/);
  });

  it('refuses a locally signed HS256 token', async () => {
    const token = await new SignJWT({ app_metadata: { sde_role: 'admin' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .sign(new TextEncoder().encode('a-shared-secret-a-shared-secret-a-shared-secret'));
    const response = await t.app.inject({ method: 'GET', url: '/api/v2/admin/jobs', headers: bearer(token) });
    expect(response.statusCode).toBe(401);
  });
});
