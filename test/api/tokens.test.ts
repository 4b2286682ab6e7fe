// Issue 11, tokens: every token must expire and live no longer than its role allows; a subject may not
// hide control or bidirectional characters; tokens can be revoked (one by its jti, or all of a subject's
// issued before a time) and every replica refuses them on the next request, over HTTP and gRPC; member
// preview tokens are read-only unless an admin asks for a writable one, and everything done with one is
// recorded as the reviewer's.
import * as grpc from '@grpc/grpc-js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSdeServices, startGrpcServer, type RunningGrpcServer } from '../../server/grpc/grpc-server.js';
import { ROLES, type Role } from '../../shared/schemas/roles.js';
import { databaseKinds } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';
import {
  bearer,
  customToken,
  memberWithProfile,
  startTestApp,
  validAttributes,
  type TestApp,
} from '../support/test-app.js';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** The default caps (SDE_TOKEN_MAX_LIFETIME_*). */
const CAPS: Record<Role, number> = { member: DAY, reviewer: 12 * HOUR, ml_engineer: 12 * HOUR, admin: 30 * DAY };

const now = () => Math.floor(Date.now() / 1000);

describe.each(databaseKinds)('tokens [%s]', (kind) => {
  let t: TestApp;
  /** A second app on the same database: another replica. */
  let replica: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    replica = await startTestApp(kind, { scratch: t.scratch });
    admin = bearer(await t.token('admin', 'admin-1'));
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  const session = (app: TestApp, token: string) =>
    app.app.inject({ method: 'GET', url: '/api/v2/session', headers: bearer(token) });
  const revoke = (payload: object, headers = admin) =>
    t.app.inject({ method: 'POST', url: '/api/v2/admin/tokens/revoke', headers, payload });

  it('why: a token without "exp" never expires, so it is refused (401 naming the claim)', async () => {
    const token = await customToken({ role: 'member' }, { subject: 'no-exp', expiresAt: null });
    const response = await session(t, token);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/^authorization: .*"exp"/);
  });

  it.each(ROLES)('why: a %s token living longer than the role allows is refused (401)', async (role) => {
    const within = await customToken({ role }, { subject: `cap-${role}`, expiresAt: now() + CAPS[role] - 60 });
    expect((await session(t, within)).statusCode).toBe(200);
    const over = await customToken({ role }, { subject: `cap-${role}`, expiresAt: now() + CAPS[role] + 120 });
    const response = await session(t, over);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(new RegExp(`^authorization: .*lifetime.*${role}`));
    // Without "iat" the lifetime is what is left of it: exp − now.
    const noIat = await customToken(
      { role },
      { subject: `cap-${role}`, issuedAt: null, expiresAt: now() + CAPS[role] + 120 },
    );
    expect((await session(t, noIat)).statusCode).toBe(401);
  });

  it('why: a token issued in the future cannot stretch its lifetime (401 naming "iat")', async () => {
    const token = await customToken({}, { subject: 'future', issuedAt: now() + DAY, expiresAt: now() + DAY + 60 });
    const response = await session(t, token);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toContain('"iat"');
  });

  it.each([
    ['right-to-left override', 'mem\u202Eber'],
    ['left-to-right mark', 'member\u200E'],
    ['right-to-left mark', '\u200Fmember'],
    ['isolate', 'mem\u2067ber\u2069'],
    ['byte-order mark', '\uFEFFmember'],
    ['C0 control (bell)', 'mem\u0007ber'],
    ['C1 control (NEL)', 'mem\u0085ber'],
    ['newline', 'member\nadmin'],
  ])('why: a "sub" with a %s character is refused (401 naming the claim)', async (_name, subject) => {
    const response = await session(t, await customToken({}, { subject }));
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/^authorization: claim "sub"/);
  });

  it('why: a revoked token id is refused on the next request, on every replica', async () => {
    const token = await t.token('member', 'revoke-jti');
    const { jti } = decodeJwt(token);
    expect(jti).toEqual(expect.any(String));
    expect((await session(t, token)).statusCode).toBe(200);
    expect((await session(replica, token)).statusCode).toBe(200);

    const revoked = await revoke({ jti });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ revoked: 'token', jti });

    for (const app of [t, replica]) {
      const response = await session(app, token);
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/^authorization: token has been revoked/);
    }
    // Other tokens of the same member are untouched.
    expect((await session(replica, await t.token('member', 'revoke-jti'))).statusCode).toBe(200);
  });

  it('why: an admin can revoke every token a subject was issued before a time', async () => {
    const old = await customToken({ role: 'reviewer' }, { subject: 'revoke-subject', issuedAt: now() - 600 });
    expect((await session(replica, old)).statusCode).toBe(200);
    const issuedBefore = new Date((now() - 60) * 1000).toISOString();
    const revoked = await revoke({ subject: 'revoke-subject', issuedBefore });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ revoked: 'subject', subject: 'revoke-subject', issuedBefore });
    const refused = await session(replica, old);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/^authorization: tokens issued to "revoke-subject" before .* are revoked/);
    // Issued after the cut-off: still good.
    const later = await customToken({ role: 'reviewer' }, { subject: 'revoke-subject', issuedAt: now() - 30 });
    expect((await session(replica, later)).statusCode).toBe(200);
    // Without "iat" a token cannot show it came after the cut-off.
    const noIat = await customToken({}, { subject: 'revoke-subject', issuedAt: null });
    expect((await session(t, noIat)).statusCode).toBe(401);
  });

  it.each<[string, object, RegExp]>([
    ['nothing', {}, /^body: give either jti .*or subject/],
    ['both', { jti: 'a', subject: 'b' }, /^body: give either jti .*or subject/],
    ['an empty jti', { jti: '' }, /^body\.jti/],
    ['a bad date', { subject: 'x', issuedBefore: 'yesterday' }, /^body\.issuedBefore/],
    ['a date in the future', { subject: 'x', issuedBefore: '2999-01-01T00:00:00Z' }, /^body\.issuedBefore: .*future/],
    ['issuedBefore with a jti', { jti: 'a', issuedBefore: '2020-01-01T00:00:00Z' }, /^body\.issuedBefore/],
    ['an unknown field', { jti: 'a', reason: 'x' }, /^body\.reason is not a known field/],
  ])('refuses a revocation with %s (400 naming the field)', async (_name, payload, message) => {
    const response = await revoke(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(message);
  });

  it('lets only admins revoke other people’s tokens', async () => {
    for (const role of ['member', 'reviewer', 'ml_engineer'] as const) {
      const response = await revoke({ jti: 'x' }, bearer(await t.token(role)));
      expect(response.statusCode).toBe(403);
    }
  });

  it('why: a member can log out everywhere: older tokens stop working, a new one works', async () => {
    const older = await customToken({}, { subject: 'logout-member', issuedAt: now() - 600 });
    const current = await t.token('member', 'logout-member');
    expect((await session(replica, older)).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v2/users/me/tokens/revoke',
      headers: bearer(current),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'logout-member', issuedBefore: expect.any(String) });
    for (const token of [older, current]) {
      for (const app of [t, replica]) expect((await session(app, token)).statusCode).toBe(401);
    }
    const fresh = await t.token('member', 'logout-member');
    expect((await session(replica, fresh)).statusCode).toBe(200);
    // Someone else's tokens are untouched.
    expect((await session(t, await customToken({}, { subject: 'bystander', issuedAt: now() - 600 }))).statusCode).toBe(
      200,
    );
  });

  describe('over gRPC', () => {
    let server: RunningGrpcServer;
    let client: grpc.Client & {
      Rank(request: object, metadata: grpc.Metadata, callback: grpc.requestCallback<unknown>): grpc.ClientUnaryCall;
    };
    beforeAll(async () => {
      server = await startGrpcServer({
        host: '127.0.0.1',
        port: 0,
        verifyToken: replica.app.engine.verifyToken,
        taste: replica.app.engine.taste,
        rank: replica.app.engine.rank,
        log: replica.app.log,
      });
      const { Ranking } = loadSdeServices();
      client = new Ranking(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as typeof client;
    });
    afterAll(async () => {
      client?.close();
      await server?.stop();
    });

    const rank = (token: string) => {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      return new Promise<{ code: grpc.status; details: string }>((resolve) =>
        client.Rank({ viewerId: 'grpc-viewer', candidateIds: ['a'] }, metadata, (error) =>
          resolve({ code: error?.code ?? grpc.status.OK, details: error?.details ?? '' }),
        ),
      );
    };

    it('why: a revoked token is refused by the gRPC API too', async () => {
      const token = await t.token('member', 'grpc-viewer');
      // Authenticated: the call gets past the token (and fails later, for want of a model or a profile).
      expect((await rank(token)).code).not.toBe(grpc.status.UNAUTHENTICATED);
      expect((await revoke({ jti: decodeJwt(token).jti })).statusCode).toBe(200);
      const outcome = await rank(token);
      expect(outcome.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(outcome.details).toMatch(/^authorization: token has been revoked/);
    });
  });

  describe('member preview tokens', () => {
    const mint = async (role: Role, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v2/admin/preview-tokens',
        headers: bearer(await t.token(role, `${role}-1`)),
        payload,
      });
    const auditRows = async (memberId: string) =>
      (
        await t.scratch.db.query<Record<string, unknown>>(
          `SELECT reviewer_id, member_id, event, writable, method, route, status, at
             FROM preview_audit WHERE member_id = $1 ORDER BY id`,
          [memberId],
        )
      ).rows;
    // A request's status is recorded once its response has gone out, so it may land just after inject resolves.
    const settledAuditRows = (memberId: string) =>
      waitFor(
        async () => {
          const found = await auditRows(memberId);
          return found.every((row) => row.event === 'mint' || row.status !== null) ? found : undefined;
        },
        10_000,
        'the preview audit rows with their statuses',
      );

    beforeAll(async () => {
      await memberWithProfile(t, 'previewed-read');
      await memberWithProfile(t, 'previewed-write');
    });

    it('why: a preview token is read-only: a write with it is refused (403) and recorded as the reviewer’s', async () => {
      const minted = await mint('reviewer', { memberId: 'previewed-read' });
      expect(minted.statusCode).toBe(200);
      const { token, write } = minted.json();
      expect(write).toBe(false);
      expect(decodeJwt(token).act).toEqual({ sub: 'reviewer-1' });

      const read = await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes', headers: bearer(token) });
      expect(read.statusCode).toBe(200);
      for (const [method, url] of [
        ['PUT', '/api/v2/users/me/attributes'],
        ['POST', '/api/v2/discovery/feedback'],
        ['DELETE', '/api/v2/favorites/tt0083658'],
        ['POST', '/api/v2/users/me/tokens/revoke'],
      ] as const) {
        const response = await t.app.inject({ method, url, headers: bearer(token), payload: validAttributes() });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
        expect(response.json().message).toMatch(/^authorization: preview tokens are read-only/);
      }
      const unchanged = await t.app.inject({
        method: 'GET',
        url: '/api/v2/users/me/attributes',
        headers: bearer(await t.token('member', 'previewed-read')),
      });
      expect(unchanged.statusCode).toBe(200);

      const rows = await settledAuditRows('previewed-read');
      expect(rows.map((row) => [row.event, row.reviewer_id, row.method, row.route, row.status])).toEqual([
        ['mint', 'reviewer-1', null, null, null],
        ['request', 'reviewer-1', 'GET', '/api/v2/users/me/attributes', 200],
        ['request', 'reviewer-1', 'PUT', '/api/v2/users/me/attributes', 403],
        ['request', 'reviewer-1', 'POST', '/api/v2/discovery/feedback', 403],
        ['request', 'reviewer-1', 'DELETE', '/api/v2/favorites/:mediaId', 403],
        ['request', 'reviewer-1', 'POST', '/api/v2/users/me/tokens/revoke', 403],
      ]);
      expect(rows.every((row) => row.writable === false && row.at instanceof Date)).toBe(true);
    });

    it('why: a reviewer cannot mint a writable preview token (403)', async () => {
      const response = await mint('reviewer', { memberId: 'previewed-write', write: true });
      expect(response.statusCode).toBe(403);
      expect(response.json().message).toMatch(/^body\.write: only admins/);
    });

    it('why: an admin’s writable preview may write, and the write is audited with the admin’s id', async () => {
      const minted = await mint('admin', { memberId: 'previewed-write', write: true });
      expect(minted.statusCode).toBe(200);
      expect(minted.json()).toMatchObject({ subject: 'previewed-write', role: 'member', write: true });
      const token = minted.json().token as string;
      expect(decodeJwt(token).act).toEqual({ sub: 'admin-1' });

      const who = await session(t, token);
      expect(who.json()).toMatchObject({
        subject: 'previewed-write',
        role: 'member',
        preview: { reviewerId: 'admin-1', write: true },
      });
      const written = await t.app.inject({
        method: 'PUT',
        url: '/api/v2/users/me/attributes',
        headers: bearer(token),
        payload: { ...validAttributes(), hobbies: ['written in preview'] },
      });
      expect(written.statusCode).toBe(200);

      const rows = await settledAuditRows('previewed-write');
      expect(rows.map((row) => [row.event, row.reviewer_id, row.writable, row.method, row.route, row.status])).toEqual([
        ['mint', 'admin-1', true, null, null, null],
        ['request', 'admin-1', true, 'GET', '/api/v2/session', 200],
        ['request', 'admin-1', true, 'PUT', '/api/v2/users/me/attributes', 200],
      ]);
    });

    it('says in GET /api/v2/session whether the token is a read-only preview', async () => {
      const { token } = (await mint('admin', { memberId: 'previewed-read' })).json();
      expect((await session(t, token)).json()).toEqual({
        subject: 'previewed-read',
        role: 'member',
        canMintPreviewTokens: true,
        preview: { reviewerId: 'admin-1', write: false },
      });
      // An ordinary token is no preview.
      expect((await session(t, await t.token('member', 'previewed-read'))).json()).not.toHaveProperty('preview');
    });
  });
});
