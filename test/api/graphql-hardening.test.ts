// GraphQL abuse and malformed requests: oversized, deep, aliased or costly documents and batches of
// mutations are refused with a 400 before any resolver runs; introspection and GraphiQL are off unless
// configured; every malformed request is a 4xx naming what is wrong, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { databaseKinds } from '../support/databases.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';

const UPSERT_FIELD = 'upsertUserAttributes(input: $input) { memberId }';
const INTROSPECTION = '{ __schema { queryType { name } } }';

function aliasedQuery(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
}

function aliasedMutations(count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `m${i}: ${UPSERT_FIELD}`).join(' ');
  return `mutation Many($input: UserAttributesInput!) { ${fields} }`;
}

/** A refusal in the project's error shape (plus GraphQL's `errors`), its message naming `field`. */
function expectRefused(response: LightMyRequestResponse, status: number, field: string | RegExp): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  if (typeof field === 'string') expect(body.message.startsWith(field), body.message).toBe(true);
  else expect(body.message).toMatch(field);
  // GraphQL's own messages stay as they are in errors[]; `message` names the parameter first.
  expect(body.message, response.body).toContain(body.errors?.[0]?.message);
}

describe.each(databaseKinds)('GraphQL hardening, default settings [%s]', (kind) => {
  let t: TestApp;
  let headers: Record<string, string>;
  const post = (payload: unknown, extraHeaders: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { ...headers, ...extraHeaders },
      payload: payload as string,
    });
  const get = (params: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: `/graphql?${new URLSearchParams(params).toString()}`, headers });
  const storedAttributes = async (subject: string) => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member', subject)),
    });
    return response.statusCode;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    headers = bearer(await t.token('member', 'gql-hardening'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('why: a 13,500-alias query stalled other members for 7 s — it is refused with a 400 before it runs', async () => {
    const response = await post({ query: aliasedQuery(13_500) });
    expectRefused(response, 400, 'query');
    expect(response.json().data).toBeNull();
  });

  it.each([
    [
      'why: 1,400 aliased mutations ran in one request — they are refused with a 400 and nothing is stored',
      1_400,
      'query',
    ],
    [
      'refuses six mutations in one request (limit 5), naming the limit, and stores nothing',
      6,
      'query: 6 mutation fields',
    ],
  ])('%s', async (_name, count, field) => {
    const subject = `gql-mutations-${count}`;
    const response = await post(
      { query: aliasedMutations(count), variables: { input: validAttributes() } },
      bearer(await t.token('member', subject)),
    );
    expectRefused(response, 400, field);
    expect(await storedAttributes(subject)).toBe(404);
  });

  it('refuses more aliases than allowed, naming the alias limit', async () => {
    const response = await post({ query: aliasedQuery(50) });
    expectRefused(response, 400, 'query: 50 aliases');
  });

  it('still runs a mutation sent alone', async () => {
    const response = await post({ query: aliasedMutations(1), variables: { input: validAttributes() } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data.m0.memberId).toBe('gql-hardening');
  });

  it('refuses a query deeper than the depth limit', async () => {
    const depth = 9;
    const query = `{ ${'me { '.repeat(depth)}memberId${' }'.repeat(depth)} }`;
    expectRefused(await post({ query }), 400, 'query: depth 10');
  });

  it('costs fragments as expanded, so a fragment that multiplies fields is refused', async () => {
    const query = `
      fragment A on UserAttributes { memberId birthday gender hobbies communities seeking updatedAt connectors }
      fragment B on UserAttributes { ...A ...A ...A ...A ...A }
      fragment C on UserAttributes { ...B ...B ...B ...B ...B }
      { me { ...C } }`;
    expectRefused(await post({ query }), 400, 'query: cost');
  });

  it('refuses a fragment cycle without looping', async () => {
    const query = `fragment A on UserAttributes { ...B } fragment B on UserAttributes { ...A } { me { ...A } }`;
    const response = await post({ query });
    expect(response.statusCode).toBe(400);
  });

  it('refuses an introspection query while introspection is off', async () => {
    expectRefused(await post({ query: INTROSPECTION }), 400, 'query: introspection');
    expectRefused(
      await post({ query: '{ me { memberId } __type(name: "Query") { name } }' }),
      400,
      'query: introspection',
    );
  });

  it('still answers __typename', async () => {
    const response = await post({ query: '{ __typename }' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves no GraphiQL unless configured', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/graphiql' });
    expect(response.statusCode).toBe(404);
  });

  it.each<[string, number, string | RegExp, () => Promise<LightMyRequestResponse>]>([
    ['an empty JSON body', 400, 'body', () => post('', { 'content-type': 'application/json' })],
    ['no body at all', 400, 'body', () => t.app.inject({ method: 'POST', url: '/graphql', headers })],
    ['invalid JSON', 400, 'body', () => post('{"query": ', { 'content-type': 'application/json' })],
    ['a JSON array (batch)', 400, 'body', () => post([{ query: '{ __typename }' }])],
    ['a JSON string', 400, 'body', () => post('"{ __typename }"', { 'content-type': 'application/json' })],
    ['a text/plain body', 400, 'body', () => post('{ __typename }', { 'content-type': 'text/plain' })],
    ['an XML body', 415, 'content-type', () => post('<query/>', { 'content-type': 'application/xml' })],
    ['a POST without a query', 400, 'query', () => post({ variables: {} })],
    ['a GET without a query', 400, 'query', () => get({})],
    ['a GET with a mutation', 405, 'query', () => get({ query: aliasedMutations(1) })],
    [
      'a persisted-query extension',
      400,
      'extensions.persistedQuery',
      () => post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
    ],
    [
      'a persisted-query extension over GET',
      400,
      'extensions.persistedQuery',
      () => get({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } }) }),
    ],
    [
      'a body over the size limit',
      413,
      'body',
      () => post({ query: '{ __typename }', variables: { pad: 'x'.repeat(300 * 1024) } }),
    ],
    [
      'a query over its own size limit',
      400,
      'query: is 20',
      () => post({ query: `{ __typename ${' '.repeat(20 * 1024)} }` }),
    ],
    [
      'a __proto__ key in the body',
      400,
      'body',
      () => post('{"query":"{ __typename }","__proto__":{"admin":true}}', { 'content-type': 'application/json' }),
    ],
    [
      'a __proto__ key in GET variables',
      400,
      'variables.__proto__',
      () => get({ query: '{ __typename }', variables: '{"__proto__":{"admin":true}}' }),
    ],
    [
      'a constructor key in the variables',
      400,
      'variables.input.constructor',
      () => post({ query: '{ __typename }', variables: { input: { constructor: { name: 'x' } } } }),
    ],
    ['a query that is a number', 400, 'query', () => post({ query: 42 })],
    [
      'a query given twice over GET',
      400,
      'query',
      () => t.app.inject({ method: 'GET', url: '/graphql?query=a&query=b', headers }),
    ],
    ['variables that are a string', 400, 'variables', () => post({ query: '{ __typename }', variables: '{}' })],
    ['variables that are an array', 400, 'variables', () => post({ query: '{ __typename }', variables: [] })],
    [
      'a NUL character in GET variables',
      400,
      'variables.input.hobbies[0]',
      () => get({ query: '{ __typename }', variables: JSON.stringify({ input: { hobbies: ['a\u0000b'] } }) }),
    ],
    [
      'variables nested absurdly deep',
      400,
      'variables',
      () => post({ query: '{ __typename }', variables: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) }),
    ],
    ['GET variables that are not JSON', 400, 'variables', () => get({ query: '{ __typename }', variables: '{oops' })],
    [
      'an operationName that is a number',
      400,
      'operationName',
      () => post({ query: '{ __typename }', operationName: 7 }),
    ],
    ['extensions that are a string', 400, 'extensions', () => post({ query: '{ __typename }', extensions: 'x' })],
    [
      'an unknown operationName',
      400,
      'operationName',
      () => post({ query: 'query A { __typename }', operationName: 'B' }),
    ],
    [
      'an unknown operationName over GET',
      400,
      'operationName',
      () => get({ query: 'query A { __typename }', operationName: 'B' }),
    ],
    [
      'two operations without an operationName',
      400,
      'operationName',
      () => post({ query: 'query A { __typename } query B { __typename }' }),
    ],
    ['a syntax error', 400, 'query', () => post({ query: '{ me { memberId ' })],
    ['a query of fragments only', 400, 'query', () => post({ query: 'fragment F on Query { __typename }' })],
    [
      'nesting too deep to parse',
      400,
      'query',
      () => post({ query: `{ me(x: ${'['.repeat(5000)}${']'.repeat(5000)}) { memberId } }` }),
    ],
    ['an unknown field', 400, 'query', () => post({ query: '{ me { memberId nope } }' })],
    ['two unknown fields', 400, 'query', () => post({ query: '{ nope1 nope2 }' })],
    [
      'a NUL character in the variables',
      400,
      // The app-wide NUL check sees the parsed body first; either way the variable is named.
      /^(body\.)?variables\.input\.hobbies\[1\]: /,
      () =>
        post({
          query: aliasedMutations(1),
          variables: { input: { ...validAttributes(), hobbies: ['climbing', 'film\u0000noir'] } },
        }),
    ],
    [
      'a NUL character in an inline literal',
      400,
      'input.hobbies[0]',
      () =>
        post({
          query: `mutation { upsertUserAttributes(input: {
            location: { lat: 40.4, lon: -3.7 }, birthday: "1990-01-01", hobbies: ["ta\\u0000pas"], communities: [],
            connectors: {}, gender: "man", seeking: ["woman"] }) { memberId } }`,
        }),
    ],
  ])('refuses %s with a %i naming the field, never a 5xx', async (_name, status, field, send) => {
    expectRefused(await send(), status, field);
  });
});

describe.each(databaseKinds)('GraphQL with introspection and GraphiQL configured on [%s]', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      config: {
        graphql: {
          introspection: true,
          graphiql: true,
          maxQueryBytes: 256 * 1024,
          maxDepth: 8,
          maxAliases: 20,
          maxCost: 200,
          maxRootMutations: 5,
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  const post = async (query: string) =>
    t.app.inject({ method: 'POST', url: '/graphql', headers: bearer(await t.token('member')), payload: { query } });

  it('answers an introspection query', async () => {
    const response = await post(INTROSPECTION);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data.__schema.queryType.name).toBe('Query');
  });

  it('still bounds introspection by depth', async () => {
    const deep = `{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }`;
    const response = await post(deep);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^query: depth 10/);
  });

  it('why: a 13,500-alias query fitting the document cap is still refused by the alias limit', async () => {
    const response = await post(aliasedQuery(13_500));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^query: 13500 aliases/);
  });

  it('why: 1,400 aliased mutations fitting the document cap are still refused by the mutation limit, nothing stored', async () => {
    const token = await t.token('member', 'gql-big-cap');
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer(token),
      payload: { query: aliasedMutations(1_400), variables: { input: validAttributes() } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^query: 1400 mutation fields exceed the limit of 5/);
    const stored = await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes', headers: bearer(token) });
    expect(stored.statusCode).toBe(404);
  });

  it('serves GraphiQL', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/graphiql' });
    expect(response.statusCode).toBe(200);
  });
});
