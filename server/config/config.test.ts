import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sde-config-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('uses defaults: embedded PGlite, loopback, jobs on, dwell refresh every 5 minutes', () => {
    const config = loadConfig({ SDE_DATA_DIR: dataDir(), SDE_JWT_SECRET: 'x'.repeat(32) });
    expect(config).toMatchObject({
      databaseUrl: undefined,
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      jobs: { enabled: true, dwellRefreshCron: '*/5 * * * *' },
      demoMembers: 0,
      auth: { kind: 'hs256', secret: 'x'.repeat(32), roleClaim: 'role' },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['SDE_JOBS', 'maybe'],
    ['SDE_DWELL_REFRESH_CRON', 'every five minutes'],
    ['SDE_DEMO_MEMBERS', '-1'],
    ['SDE_JWT_ROLE_CLAIM', 'app metadata'],
  ])('fails naming %s when it is %j', (variable, value) => {
    expect(() => loadConfig({ SDE_DATA_DIR: dataDir(), [variable]: value })).toThrow(
      new RegExp(`^${variable}: .*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it.each([
    ['DATABASE_URL', 'mysql://admin:hunter2@localhost/sde'],
    ['SDE_JWT_SECRET', 'short-secret'],
  ])('fails naming %s without echoing its value', (variable, value) => {
    let message = '';
    try {
      loadConfig({ SDE_DATA_DIR: dataDir(), [variable]: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${variable}: .*\\(got ${value.length} characters\\)$`));
    expect(message).not.toContain(value);
  });

  it('requires an issuer with a JWKS URL', () => {
    expect(() => loadConfig({ SDE_JWKS_URL: 'https://idp.example/jwks.json' })).toThrow(ConfigError);
    expect(() => loadConfig({ SDE_JWKS_URL: 'https://idp.example/jwks.json' })).toThrow(/^SDE_JWT_ISSUER/);
    const config = loadConfig({
      SDE_JWKS_URL: 'https://idp.example/jwks.json',
      SDE_JWT_ISSUER: 'https://idp.example/',
      SDE_JWT_ROLE_CLAIM: 'app_metadata.sde_role',
    });
    expect(config.auth).toEqual({
      kind: 'jwks',
      jwksUrl: 'https://idp.example/jwks.json',
      issuer: 'https://idp.example/',
      audience: undefined,
      roleClaim: 'app_metadata.sde_role',
    });
  });

  it('keeps a generated local secret in the data folder and reuses it', () => {
    const dir = dataDir();
    const first = loadConfig({ SDE_DATA_DIR: dir });
    const second = loadConfig({ SDE_DATA_DIR: dir });
    expect(first.auth.kind === 'hs256' && first.auth.secret.length).toBeGreaterThanOrEqual(32);
    expect(second.auth).toEqual(first.auth);
    expect(readFileSync(path.join(dir, 'jwt-secret'), 'utf8').trim()).toBe(
      first.auth.kind === 'hs256' && first.auth.secret,
    );
  });
});
