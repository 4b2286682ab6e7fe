// Flags served by a GrowthBook server (SDE_GROWTHBOOK_API_HOST / SDE_GROWTHBOOK_CLIENT_KEY): a local
// HTTP server answers GrowthBook's SDK endpoint (`GET /api/features/{clientKey}` →
// `{ status, features, dateUpdated }`); the engine evaluates those definitions, refuses edits through
// its own API, and keeps serving when the server goes away.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { seedSlatePopulation } from '../support/slate-population.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const CLIENT_KEY = 'sdk-test-key';
const FEATURES = {
  discovery_reranker_v2: {
    defaultValue: 'control',
    rules: [
      { key: 'reranker-from-growthbook', variations: ['holdout', 'control'], weights: [1, 0], hashAttribute: 'id' },
    ],
  },
};

describe.each(databaseKinds)('flags from a GrowthBook server [%s]', (kind) => {
  let t: TestApp;
  let server: Server;
  let up = true;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requested.push(request.url ?? '');
      if (!up || request.url !== `/api/features/${CLIENT_KEY}`) {
        response.writeHead(up ? 404 : 503).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 200, features: FEATURES, dateUpdated: '2026-11-20T10:00:00Z' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const base = testConfig();
    t = await startTestApp(kind, {
      config: {
        discovery: { ...base.discovery, growthbook: { apiHost: `http://127.0.0.1:${port}`, clientKey: CLIENT_KEY } },
      },
    });
    await seedSlatePopulation(t.scratch.db, 8);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('evaluates the server’s definitions: the experiment puts the viewer in the holdout arm', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/slate?limit=3',
      headers: bearer(await t.token('member', 'slate-viewer')),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<SlateResponse>()).toMatchObject({ arm: 'holdout', experimentKey: 'reranker-from-growthbook' });
    expect(requested).toContain(`/api/features/${CLIENT_KEY}`);
  });

  it('shows them in the admin API and refuses edits there', async () => {
    const admin = await t.token('admin', 'admin-1');
    const list = await t.app.inject({ method: 'GET', url: '/api/v2/admin/flags', headers: bearer(admin) });
    expect(list.json()).toEqual({ source: 'growthbook', features: FEATURES });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/admin/flags/discovery_reranker_v2',
      headers: bearer(admin),
      payload: { defaultValue: 'control' },
    });
    expect(put.statusCode).toBe(409);
    expect(put.json<{ message: string }>().message).toMatch(/^flags: flags are served by a GrowthBook server/);
  });

  it('keeps the last good definitions when the server goes away', async () => {
    up = false;
    t.app.engine.flags.invalidate();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/slate?limit=3',
      headers: bearer(await t.token('member', 'slate-other-viewer')),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<SlateResponse>().arm).toBe('holdout');
    up = true;
  });
});
