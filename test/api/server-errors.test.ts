// When the database fails under a request, the caller gets a 500 in the one error shape with no
// internals (no SQL, no stack), over REST and over GraphQL alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';

describe.each(databaseKinds)('server faults [%s]', (kind) => {
  let t: TestApp;
  let memberToken: string;
  beforeAll(async () => {
    t = await startTestApp(kind, { config: { jobs: { enabled: false, dwellRefreshCron: '*/5 * * * *' } } });
    memberToken = await t.token('member', 'member-fault');
    await t.app.engine.jobs.stop();
    await t.scratch.db.query('DROP TABLE members CASCADE');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a 500 that names no internals', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(memberToken),
      payload: validAttributes(),
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'The server failed to handle this request; it has been logged.',
    });
    expect(response.body).not.toMatch(/members|relation|SELECT|INSERT|at .*\.ts/);
  });

  it('hides resolver faults from GraphQL callers too', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer(memberToken),
      payload: { query: '{ me { memberId } }' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/members|relation/);
    expect(response.json().errors[0].message).toBe('The server failed to handle this request; it has been logged.');
  });
});
