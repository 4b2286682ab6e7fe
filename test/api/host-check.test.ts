// The loopback server's Host check (issue 11, DNS rebinding): with SDE_ALLOWED_HOSTS set (the desktop
// app sets it), a request whose Host header names another host, or this host on another port, is
// refused with 421 before any route runs; unset, any Host is served as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config/config.js';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

function httpConfigWith(allowedHosts: string[] | undefined) {
  const defaults = testConfig();
  rmSync(defaults.dataDir, { recursive: true, force: true });
  return { ...defaults.http, allowedHosts };
}

describe.each(databaseKinds)('Host check on the loopback server [%s]', (kind) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: {
        http: httpConfigWith(['127.0.0.1', 'localhost']),
        jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' },
      },
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (url: string, host: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...headers, host } });

  it('why: a request whose Host is not 127.0.0.1:<port> or localhost:<port> is refused (421), DNS rebinding defence', async () => {
    const admin = bearer(await t.token('admin'));
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `localhost:${port + 1}`,
      '127.0.0.1',
      `[::1]:${port}`,
      `user@127.0.0.1:${port}`,
      `127.0.0.1:${port}/x`,
    ]) {
      for (const url of ['/api/v2/health', '/api/v2/admin/jobs', '/console/', '/docs/json', '/no-such-route']) {
        const response = await get(url, host, admin);
        expect(response.statusCode, `${host} ${url}`).toBe(421);
        expect(response.json()).toEqual({
          statusCode: 421,
          error: 'Misdirected Request',
          message: expect.stringMatching(/^headers\.host: /),
        });
      }
    }
  });

  it('serves the console’s own hosts on the port it listens on, in any letter case', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`]) {
      const response = await get('/api/v2/health', host);
      expect(response.statusCode, host).not.toBe(421);
    }
  });
});

describe.each(databaseKinds)('without SDE_ALLOWED_HOSTS [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: { http: httpConfigWith(undefined), jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves any Host (a server behind a proxy or on a LAN name keeps working)', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v2/health', headers: { host: 'sde.example:443' } });
    expect(response.statusCode).not.toBe(421);
  });
});

describe('SDE_ALLOWED_HOSTS', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sde-hosts-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const load = (value?: string) =>
    loadConfig({
      SDE_DATA_DIR: dataDir(),
      SDE_JWT_SECRET: 'x'.repeat(32),
      ...(value === undefined ? {} : { SDE_ALLOWED_HOSTS: value }),
    });

  it('is unset by default (any Host), and reads a comma-separated list of host or host:port', () => {
    expect(load().http.allowedHosts).toBeUndefined();
    expect(load('').http.allowedHosts).toBeUndefined();
    expect(load(' 127.0.0.1, LOCALHOST ,sde.example:8443,[::1]').http.allowedHosts).toEqual([
      '127.0.0.1',
      'localhost',
      'sde.example:8443',
      '[::1]',
    ]);
  });

  it.each([',', 'http://127.0.0.1', '127.0.0.1:99999', 'a b', 'user@host', '127.0.0.1:'])(
    'refuses %j naming the variable',
    (value) => {
      expect(() => load(value)).toThrow(ConfigError);
      expect(() => load(value)).toThrow(/^SDE_ALLOWED_HOSTS: /);
    },
  );
});
