import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('why: a JWKS URL over plain http lets anyone on the path swap the keys, so it must be https', () => {
    const issuer = { SDE_JWT_ISSUER: 'https://idp.example/' };
    for (const url of ['http://idp.example/jwks.json', 'http://10.0.0.5/jwks.json', 'ftp://idp.example/jwks.json']) {
      expect(() => loadConfig({ ...issuer, SDE_JWKS_URL: url })).toThrow(ConfigError);
      expect(() => loadConfig({ ...issuer, SDE_JWKS_URL: url })).toThrow(/^SDE_JWKS_URL: .*https/);
    }
    for (const url of ['http://localhost:9999/jwks.json', 'http://127.0.0.1/jwks.json', 'http://[::1]:80/jwks.json']) {
      expect(loadConfig({ ...issuer, SDE_JWKS_URL: url }).auth).toMatchObject({ kind: 'jwks', jwksUrl: url });
    }
  });

  it('caps token lifetimes per role: defaults, durations or seconds, and a ConfigError for anything else', () => {
    const secret = { SDE_DATA_DIR: dataDir(), SDE_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(secret).tokens.maxLifetimeSeconds).toEqual({
      member: 86400,
      reviewer: 43200,
      ml_engineer: 43200,
      admin: 30 * 86400,
    });
    const custom = loadConfig({
      ...secret,
      SDE_TOKEN_MAX_LIFETIME_MEMBER: '1h',
      SDE_TOKEN_MAX_LIFETIME_REVIEWER: '900',
      SDE_TOKEN_MAX_LIFETIME_ML_ENGINEER: '2w',
      SDE_TOKEN_MAX_LIFETIME_ADMIN: '30m',
    });
    expect(custom.tokens.maxLifetimeSeconds).toEqual({
      member: 3600,
      reviewer: 900,
      ml_engineer: 1209600,
      admin: 1800,
    });
    for (const value of ['forever', '0', '-1h', '12 hours']) {
      expect(() => loadConfig({ ...secret, SDE_TOKEN_MAX_LIFETIME_ADMIN: value })).toThrow(
        /^SDE_TOKEN_MAX_LIFETIME_ADMIN: /,
      );
    }
  });

  it('keeps a generated local secret in the key folder beside the data folder and reuses it', () => {
    const root = dataDir();
    const dir = path.join(root, 'data');
    const first = loadConfig({ SDE_DATA_DIR: dir });
    const second = loadConfig({ SDE_DATA_DIR: dir });
    expect(first.auth.kind === 'hs256' && first.auth.secret.length).toBeGreaterThanOrEqual(32);
    expect(second.auth).toEqual(first.auth);
    expect(readFileSync(path.join(root, 'data-keys', 'jwt-secret'), 'utf8').trim()).toBe(
      first.auth.kind === 'hs256' && first.auth.secret,
    );
  });

  describe('why: the connector-token key sat in the data folder, beside the tokens it protects', () => {
    const key = Buffer.alloc(32, 9).toString('base64');

    it('generates local keys outside the data folder: <data>-keys by default (.sde-data → .sde-keys), 0700/0600', () => {
      const root = dataDir();
      const config = loadConfig({ SDE_DATA_DIR: path.join(root, '.sde-data') });
      const keys = path.join(root, '.sde-keys');
      expect(statSync(keys).mode & 0o777).toBe(0o700);
      for (const name of ['secrets-key', 'jwt-secret']) {
        expect(statSync(path.join(keys, name)).mode & 0o777).toBe(0o600);
        expect(existsSync(path.join(root, '.sde-data', name))).toBe(false);
      }
      expect(Buffer.from(readFileSync(path.join(keys, 'secrets-key'), 'utf8').trim(), 'base64')).toEqual(
        config.secretsKey,
      );
    });

    it('puts them in SDE_KEYS_DIR when set', () => {
      const root = dataDir();
      const keys = path.join(root, 'elsewhere');
      const config = loadConfig({ SDE_DATA_DIR: path.join(root, 'data'), SDE_KEYS_DIR: keys });
      expect(readFileSync(path.join(keys, 'secrets-key'), 'utf8').trim()).toBe(config.secretsKey.toString('base64'));
    });

    it('refuses an SDE_KEYS_DIR inside the data folder', () => {
      const root = dataDir();
      const data = path.join(root, 'data');
      expect(() => loadConfig({ SDE_DATA_DIR: data, SDE_KEYS_DIR: path.join(data, 'keys') })).toThrow(
        /^SDE_KEYS_DIR: /,
      );
      expect(() => loadConfig({ SDE_DATA_DIR: data, SDE_KEYS_DIR: data })).toThrow(/^SDE_KEYS_DIR: /);
    });

    it('moves the keys of an existing install out of the data folder, so its sealed tokens still open', () => {
      const root = dataDir();
      const data = path.join(root, '.sde-data');
      mkdirSync(data);
      writeFileSync(path.join(data, 'secrets-key'), key + '\n', { mode: 0o600 });
      writeFileSync(path.join(data, 'jwt-secret'), 'j'.repeat(44) + '\n', { mode: 0o600 });
      const config = loadConfig({ SDE_DATA_DIR: data });
      expect(config.secretsKey.toString('base64')).toBe(key);
      expect(config.auth.kind === 'hs256' && config.auth.secret).toBe('j'.repeat(44));
      expect(existsSync(path.join(data, 'secrets-key'))).toBe(false);
      expect(existsSync(path.join(data, 'jwt-secret'))).toBe(false);
      expect(readFileSync(path.join(root, '.sde-keys', 'secrets-key'), 'utf8').trim()).toBe(key);
      expect(statSync(path.join(root, '.sde-keys', 'secrets-key')).mode & 0o777).toBe(0o600);
    });

    it('reads SDE_SECRETS_KEY_FILE when it is 0600 or 0400', () => {
      for (const mode of [0o600, 0o400]) {
        const root = dataDir();
        const file = path.join(root, 'sde.key');
        writeFileSync(file, key + '\n', { mode });
        chmodSync(file, mode);
        const config = loadConfig({ SDE_DATA_DIR: path.join(root, 'data'), SDE_SECRETS_KEY_FILE: file });
        expect(config.secretsKey.toString('base64')).toBe(key);
        expect(existsSync(path.join(root, 'data-keys', 'secrets-key'))).toBe(false);
      }
    });

    it('refuses an SDE_SECRETS_KEY_FILE others can read (mode 0644) with a ConfigError naming it', () => {
      const root = dataDir();
      const file = path.join(root, 'sde.key');
      writeFileSync(file, key + '\n');
      chmodSync(file, 0o644);
      const load = () => loadConfig({ SDE_DATA_DIR: path.join(root, 'data'), SDE_SECRETS_KEY_FILE: file });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/^SDE_SECRETS_KEY_FILE: .*0644/);
    });

    it('refuses a missing or malformed SDE_SECRETS_KEY_FILE, and one set together with SDE_SECRETS_KEY', () => {
      const root = dataDir();
      const data = path.join(root, 'data');
      expect(() => loadConfig({ SDE_DATA_DIR: data, SDE_SECRETS_KEY_FILE: path.join(root, 'none') })).toThrow(
        /^SDE_SECRETS_KEY_FILE: /,
      );
      const bad = path.join(root, 'bad.key');
      writeFileSync(bad, 'not a key\n', { mode: 0o600 });
      expect(() => loadConfig({ SDE_DATA_DIR: data, SDE_SECRETS_KEY_FILE: bad })).toThrow(/^SDE_SECRETS_KEY_FILE: /);
      const good = path.join(root, 'good.key');
      writeFileSync(good, key, { mode: 0o600 });
      expect(() => loadConfig({ SDE_DATA_DIR: data, SDE_SECRETS_KEY_FILE: good, SDE_SECRETS_KEY: key })).toThrow(
        /^SDE_SECRETS_KEY_FILE: /,
      );
    });
  });
});
