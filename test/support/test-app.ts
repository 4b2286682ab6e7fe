// Builds the real app on a scratch database for API tests (`app.inject`), with a fixed HS256 secret
// so tests can mint tokens for any role.
import { SignJWT } from 'jose';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config/config.js';
import { mintLocalToken } from '../../server/auth/tokens.js';
import type { Role } from '../../shared/schemas/roles.js';
import { openScratchDatabase, type DatabaseKind, type ScratchDatabase } from './databases.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * The real config loader with test settings: fixed secrets, quiet logs, a fresh data folder (removed
 * when the test app closes, like one passed in `overrides.dataDir`).
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(tmpdir(), 'sde-test-'));
  const base = loadConfig({
    SDE_DATA_DIR: dataDir,
    SDE_JWT_SECRET: TEST_SECRET,
    SDE_SECRETS_KEY: TEST_SECRETS_KEY,
    LOG_LEVEL: 'silent',
    PORT: '0',
    SDE_DB_POOL_MAX: '5',
  });
  // API tests fire hundreds of requests from one member and one address within a minute, so every rate
  // limit is lifted here; the tests of the limits set the low ones they test (test/api/rate-limits.test.ts).
  const rateLimits = { ...base.rateLimits };
  for (const bucket of Object.keys(rateLimits) as Array<keyof Config['rateLimits']>) rateLimits[bucket] = 1_000_000;
  return { ...base, rateLimits, ...overrides };
}

export interface TestApp {
  app: FastifyInstance;
  scratch: ScratchDatabase;
  token(role: Role, subject?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  kind: DatabaseKind,
  options: { config?: Partial<Config>; scratch?: ScratchDatabase; fastJobs?: boolean } = {},
): Promise<TestApp> {
  const scratch = options.scratch ?? (await openScratchDatabase(kind));
  const config = testConfig(options.config);
  const app = await buildApp(config, {
    database: scratch.db,
    jobTimings: options.fastJobs ? { cronCheckSeconds: 1, pollingSeconds: 0.5 } : undefined,
  });
  return {
    app,
    scratch,
    token: (role, subject = `${role}-1`) => mintLocalToken(config.auth, { subject, role }),
    async close() {
      await app.close();
      if (!options.scratch) await scratch.dispose();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A token signed with the test secret but with claims of the test's choosing (expired, no sub, …).
 * It expires in an hour unless `expiresAt` says otherwise (`null`: no exp, which the server refuses);
 * `issuedAt` likewise defaults to now (`null`: no iat).
 */
export async function customToken(
  claims: Record<string, unknown>,
  options: { expiresAt?: number | null; issuedAt?: number | null; secret?: string; subject?: string } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' });
  if (options.issuedAt !== null) jwt = jwt.setIssuedAt(options.issuedAt ?? now);
  if (options.subject !== undefined) jwt = jwt.setSubject(options.subject);
  if (options.expiresAt !== null) jwt = jwt.setExpirationTime(options.expiresAt ?? now + 3600);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A member token for `subject` whose attributes are saved (most member routes need a profile first). */
export async function memberWithProfile(t: TestApp, subject: string): Promise<Record<string, string>> {
  const headers = bearer(await t.token('member', subject));
  const saved = await t.app.inject({
    method: 'PUT',
    url: '/api/v2/users/me/attributes',
    headers,
    payload: validAttributes(),
  });
  if (saved.statusCode >= 300)
    throw new Error(`saving ${subject}'s attributes answered ${saved.statusCode}: ${saved.body}`);
  return headers;
}

/** A valid attributes body; tests break one field at a time. */
export function validAttributes(): Record<string, unknown> {
  return {
    location: { lat: 52.52, lon: 13.405, place: 'Berlin, Germany' },
    birthday: '1992-04-17',
    hobbies: ['climbing', 'film noir'],
    communities: ['Berlin Techno'],
    connectors: { spotify: { connected: true } },
    gender: 'woman',
    seeking: ['man', 'nonbinary'],
  };
}
