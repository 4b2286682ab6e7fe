// Health, readiness, docs and request ids: what load balancers and operators rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe.each(databaseKinds)('health, readiness and docs [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports the process alive', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('reports ready with the driver and a clean migration history', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: { driver: kind, reachable: true },
      migrations: { applied: expect.any(Number), files: expect.any(Number), problems: [] },
    });
    const body = response.json();
    expect(body.migrations.applied).toBe(body.migrations.files);
  });

  it('reports not ready, naming the migration, when the history drifts', async () => {
    const { rows } = await t.scratch.db.query<{ md5: string }>(`SELECT md5 FROM schemaversion WHERE version = 1`);
    await t.scratch.db.query(`UPDATE schemaversion SET md5 = 'tampered' WHERE version = 1`);
    try {
      const response = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().migrations.problems).toEqual([expect.stringContaining('001 schema-v1 was edited')]);
    } finally {
      await t.scratch.db.query(`UPDATE schemaversion SET md5 = $1 WHERE version = 1`, [rows[0]?.md5]);
    }
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('serves OpenAPI with every API route documented', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/api/v2/users/me/attributes', '/api/v2/admin/jobs']),
    );
    expect(spec.paths['/api/v2/users/me/attributes'].put.requestBody).toBeDefined();
  });

  it('echoes the caller’s request id, or makes one', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
