// Profiles over GraphQL: `me` and `upsertUserAttributes` share the REST validation and service,
// reject bad input with a 4xx naming the field, and require a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';

const ME = '{ me { memberId birthday hobbies location { lat lon place } connectors seeking } }';
const UPSERT = `mutation Save($input: UserAttributesInput!) {
  upsertUserAttributes(input: $input) { memberId gender hobbies communities location { lat lon place } updatedAt }
}`;

describe.each(databaseKinds)('profile attributes over GraphQL [%s]', (kind) => {
  let t: TestApp;
  const gql = async (token: string | null, query: string, variables?: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: token ? bearer(token) : {},
      payload: { query, variables },
    });

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('returns null for me before a save, then what the mutation stored', async () => {
    const token = await t.token('member', 'gql-member');
    const before = await gql(token, ME);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ data: { me: null } });

    const saved = await gql(token, UPSERT, { input: validAttributes() });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().data.upsertUserAttributes).toMatchObject({
      memberId: 'gql-member',
      gender: 'woman',
      hobbies: ['climbing', 'film noir'],
      location: { lat: 52.52, lon: 13.405, place: 'Berlin, Germany' },
    });

    const after = await gql(token, ME);
    expect(after.json().data.me).toMatchObject({
      memberId: 'gql-member',
      birthday: '1992-04-17',
      connectors: { spotify: { connected: true } },
      seeking: ['man', 'nonbinary'],
    });
    const rest = await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes', headers: bearer(token) });
    expect(rest.json()).toMatchObject(validAttributes());
  });

  it('accepts an inline literal input, connectors included', async () => {
    const token = await t.token('member', 'gql-literal');
    const response = await gql(
      token,
      `mutation { upsertUserAttributes(input: {
        location: { lat: 40.4, lon: -3.7 }, birthday: "1990-01-01", hobbies: ["tapas"], communities: [],
        connectors: { spotify: { connected: false } }, gender: "man", seeking: ["woman"] }) { memberId location { place } } }`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().data.upsertUserAttributes).toEqual({ memberId: 'gql-literal', location: { place: null } });
  });

  it.each([
    ['latitude out of range', { location: { lat: 123, lon: 0 } }, 400, 'input.location.lat'],
    ['too many hobbies', { hobbies: Array.from({ length: 40 }, (_, i) => `h${i}`) }, 400, 'input.hobbies'],
    ['unknown gender', { gender: 'robot' }, 400, 'input.gender'],
    [
      'unknown connector field',
      { connectors: { spotify: { connected: true, token: 'x' } } },
      400,
      'input.connectors.spotify.token',
    ],
    ['a minor', { birthday: `${new Date().getUTCFullYear() - 16}-06-01` }, 422, 'birthday'],
  ])('rejects %s with %i naming the field', async (_name, change, status, field) => {
    const token = await t.token('member', `gql-bad-${status}-${field}`);
    const response = await gql(token, UPSERT, { input: { ...validAttributes(), ...change } });
    expect(response.statusCode).toBe(status);
    const body = response.json();
    expect(body.data).toBeNull();
    expect(body.errors[0].message.startsWith(field)).toBe(true);
  });

  it('rejects variables of the wrong GraphQL type with a 400 naming the variable', async () => {
    const token = await t.token('member', 'gql-types');
    const response = await gql(token, UPSERT, {
      input: { ...validAttributes(), hobbies: 'climbing', location: 'Berlin' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].message).toContain('$input');
  });

  it('requires a token', async () => {
    const response = await gql(null, ME);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('bearer') });
  });
});
