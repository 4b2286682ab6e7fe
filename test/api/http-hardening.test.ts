// The HTTP edge under hostile clients: unauthorised uploads are refused before their body is read, slow
// or too many connections are cut off, NUL characters and malformed URLs are clear 4xx answers in the
// one error shape, request ids and logs carry no attacker-chosen bytes or secrets, and responses carry
// the headers personal data needs. Socket tests talk to a real listening server; the rest use inject.
import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { deriveUploadSigningKey, signUpload } from '../../server/storage/upload-signature.js';
import type { Role } from '../../shared/schemas/roles.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { exampleFor, startAppForRouteWalk } from '../support/route-walk.js';
import { bearer, testConfig, TEST_SECRETS_KEY, validAttributes, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Settings small enough for a test to watch them act (seconds; connections). */
const EDGE = { requestTimeoutSeconds: 1, keepAliveTimeoutSeconds: 10, idleTimeoutSeconds: 10, maxConnections: 3 };

const signingKey = deriveUploadSigningKey(Buffer.from(TEST_SECRETS_KEY, 'base64'));

/** A raw HTTP/1.1 connection: what it sent, what came back, and whether the server closed it. */
class RawConnection {
  received = '';
  closed = false;
  sent = 0;
  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.received += chunk));
    socket.on('close', () => (this.closed = true));
    // A server that drops the connection mid-upload makes our writes fail: that is the point.
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    this.sent += Buffer.byteLength(data);
    this.socket.write(data);
  }

  /** The status code of the first response, or undefined while none has arrived. */
  get status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return match ? Number(match[1]) : undefined;
  }

  get headers(): Record<string, string> {
    const head = this.received.split('\r\n\r\n')[0] ?? '';
    const entries = head
      .split('\r\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]);
    return Object.fromEntries(entries);
  }

  get body(): string {
    return this.received.split('\r\n\r\n').slice(1).join('\r\n\r\n');
  }

  /** Waits (bounded) until the server has answered and closed the connection. */
  async answeredAndClosed(what: string): Promise<void> {
    await waitFor(async () => (this.closed && this.status !== undefined ? true : undefined), 10_000, what);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Every string leaf of a JSON value, as a path of keys and indexes. */
function stringLeaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringLeaves(item, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...path, key]));
  }
  return [];
}

function withNulAt(value: unknown, path: Array<string | number>): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  parent[last] = `${String(parent[last])}\u0000`;
  return copy;
}

function describePath(context: string, path: Array<string | number>): string {
  return context + path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
}

/** The example URL with a NUL (%00) added to one path parameter or query value at a time. */
function urlsWithNul(routeUrl: string, exampleUrl: string): Array<{ url: string; field: string }> {
  const [path, search = ''] = exampleUrl.split('?') as [string, string?];
  const routeSegments = routeUrl.split('/');
  const segments = path.split('/');
  const out: Array<{ url: string; field: string }> = [];
  routeSegments.forEach((segment, index) => {
    if (!segment.startsWith(':') && segment !== '*') return;
    const mutated = [...segments];
    mutated[index] = `${mutated[index] ?? ''}%00`;
    const name = segment === '*' ? '*' : segment.slice(1);
    out.push({ url: mutated.join('/') + (search ? `?${search}` : ''), field: `params.${name}` });
  });
  const entries = [...new URLSearchParams(search)];
  entries.forEach(([key], index) => {
    const repeated = entries.filter(([other]) => other === key).length > 1;
    const position = entries.slice(0, index).filter(([other]) => other === key).length;
    const mutated = new URLSearchParams(
      entries.map(([k, v], i): [string, string] => [k, i === index ? `${v}\u0000` : v]),
    );
    out.push({ url: `${path}?${mutated.toString()}`, field: `querystring.${key}${repeated ? `[${position}]` : ''}` });
  });
  return out;
}

describe.each(databaseKinds)('HTTP edge [%s]', (kind) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startAppForRouteWalk(kind, { http: EDGE });
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(address).port);
  });
  afterAll(async () => {
    await t?.close();
  });

  const uploadHead = (path: string, contentLength: number) =>
    `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;

  it('why: an upload with a bad signature is refused (403) before its body is read, and its connection closed', async () => {
    const id = '6f1d1b1e-0000-4000-8000-0000000000aa';
    const expires = Math.floor(Date.now() / 1000) + 600;
    const forged = 'f'.repeat(64);
    const connection = await RawConnection.open(port);
    const declared = 8_000_000;
    connection.write(uploadHead(`/api/v2/storage/upload/${id}?expires=${expires}&signature=${forged}`, declared));
    connection.write(Buffer.alloc(64 * 1024, 0x20));
    await connection.answeredAndClosed('a refusal while the body was still unsent');
    expect(connection.sent).toBeLessThan(declared);
    expect(connection.status).toBe(403);
    expect(JSON.parse(connection.body)).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'querystring.signature: does not match this upload URL',
    });
  });

  it('why: an upload declaring more bytes than its grant allows is refused (413) before its body is read', async () => {
    const upload = await t.app.engine.objectStorage.createUploadUrl('favorites_raw/http-edge/big.json', {
      contentType: 'application/json',
      maxBytes: 1024,
    });
    const url = new URL(upload.url);
    const connection = await RawConnection.open(port);
    connection.write(uploadHead(url.pathname + url.search, 8_000_000));
    connection.write(Buffer.alloc(64 * 1024, 0x20));
    await connection.answeredAndClosed('a refusal while the body was still unsent');
    expect(connection.status).toBe(413);
    expect(JSON.parse(connection.body).message).toBe("body: 8000000 bytes exceed this upload URL's limit of 1024");
    // Refusing it did not use the URL up.
    const stored = await t.app.inject({
      method: 'PUT',
      url: url.pathname + url.search,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(stored.statusCode).toBe(200);
  });

  it('why: a trickled request body is cut off once SDE_REQUEST_TIMEOUT_SECONDS passes (408, connection closed)', async () => {
    const token = await t.token('member');
    const connection = await RawConnection.open(port);
    connection.write(
      `PUT /api/v2/users/me/attributes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    // One byte every 100 ms: the body would take ten thousand seconds to arrive.
    const trickle = setInterval(() => connection.write(' '), 100);
    try {
      await waitFor(async () => (connection.closed ? true : undefined), 10_000, 'the trickled request to be cut off');
    } finally {
      clearInterval(trickle);
    }
    if (connection.status !== undefined) expect(connection.status).toBe(408);
    expect(connection.sent).toBeLessThan(100_000);
  });

  it('why: connections over SDE_MAX_CONNECTIONS are refused, and served again once one closes', async () => {
    const health = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const held: RawConnection[] = [];
    for (let i = 0; i < EDGE.maxConnections; i++) {
      const connection = await RawConnection.open(port);
      connection.write(health);
      await waitFor(async () => connection.status, 10_000, `held connection ${i} to be served`);
      expect(connection.status).toBe(200);
      held.push(connection);
    }
    const over = await RawConnection.open(port).catch(() => undefined);
    if (over) {
      over.write(health);
      await waitFor(async () => (over.closed ? true : undefined), 10_000, 'the connection over the cap to be closed');
      expect(over.status).toBeUndefined();
    }
    held.pop()!.close();
    const served = await waitFor(
      async () => {
        const retry = await RawConnection.open(port);
        retry.write(health);
        await waitFor(async () => (retry.closed || retry.status ? true : undefined), 10_000, 'an answer or a close');
        retry.close();
        return retry.status === 200 ? true : undefined;
      },
      10_000,
      'a connection to be served once one under the cap closed',
    );
    expect(served).toBe(true);
    for (const connection of held) connection.close();
    // The next test needs a free slot: wait until the server has seen them go.
    await waitFor(
      () =>
        new Promise<true | undefined>((resolve) =>
          t.app.server.getConnections((_e, n) => resolve(n === 0 || undefined)),
        ),
      10_000,
      'the held connections to close',
    );
  });

  it('why: a request line too long for the server answers in the error shape with a request id', async () => {
    const connection = await RawConnection.open(port);
    connection.write(`GET /api/v2/media/search?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await connection.answeredAndClosed('an answer to the oversized request line');
    expect(connection.status).toBe(431);
    expect(connection.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(connection.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(connection.body)).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      message: expect.stringMatching(/^url: /),
    });
  });

  it('why: a NUL character in any string input is a 400 naming the field, never a 500', async () => {
    const outcomes: string[] = [];
    let probes = 0;
    for (const route of t.app.routeCatalog) {
      const example = exampleFor(route.method, route.url);
      if (example.unavailable) continue;
      const role: Role | 'anonymous' =
        route.access === 'public' ? 'anonymous' : route.access.includes('admin') ? 'admin' : route.access[0]!;
      const as: Role = role === 'anonymous' ? 'admin' : role;
      const url = (typeof example.url === 'function' ? example.url(as) : example.url) ?? route.url;
      const payload = example.payloadFor ? example.payloadFor(as) : example.payload;
      const headers = { ...example.headers, ...(role === 'anonymous' ? {} : bearer(await t.token(role))) };
      // Upload bodies are bytes, not strings: only their URL is checked.
      const bodyLeaves = route.url.startsWith('/api/v2/storage/upload') ? [] : stringLeaves(payload);
      const cases = [
        ...urlsWithNul(route.url, url).map((mutation) => ({ ...mutation, payload })),
        ...bodyLeaves.map((path) => ({ url, field: describePath('body', path), payload: withNulAt(payload, path) })),
      ];
      for (const probe of cases) {
        probes++;
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: probe.url,
          headers,
          payload: probe.payload as object | undefined,
        });
        const message = String(response.headers['content-type']).includes('json')
          ? String(response.json().message)
          : '';
        if (response.statusCode !== 400 || message !== `${probe.field}: contains a NUL character`) {
          outcomes.push(
            `${route.method} ${route.url} ${probe.field}: ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
        }
      }
    }
    expect(probes).toBeGreaterThan(40);
    expect(outcomes).toEqual([]);
  });

  it('why: a NUL character in a field name is a 400 too', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await t.token('member')),
      payload: { ...validAttributes(), location: { lat: 1, lon: 2, 'pl\u0000ace': 'x' } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('body.location["pl\\u0000ace"]: contains a NUL character');
  });

  it('why: a client-chosen request id is echoed only when it is short and plain', async () => {
    const echoed = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-42.a:b_c' },
    });
    expect(echoed.headers['x-request-id']).toBe('trace-42.a:b_c');
    for (const hostile of ['x'.repeat(10_000), 'abc\r\nset-cookie: session=stolen', 'bell\u0007', 'a b', '<script>']) {
      const response = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': hostile } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(response.headers['set-cookie']).toBeUndefined();
    }
  });

  it('why: a malformed URL (bad percent-encoding) answers 400 in the error shape with a request id', async () => {
    for (const url of ['/%zz', '/api/v2/discovery/why/%E0%A4%A', '/api/v2/admin/flags/%zz']) {
      const response = await t.app.inject({ method: 'GET', url, headers: bearer(await t.token('admin')) });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/^url: /),
      });
      expect(response.headers['x-request-id']).toBeTruthy();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('why: a path parameter over the length limit answers 414 in the error shape with a request id', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v2/discovery/why/${'a'.repeat(300)}`,
      headers: bearer(await t.token('member')),
    });
    expect(response.statusCode).toBe(414);
    expect(response.json()).toEqual({
      statusCode: 414,
      error: 'URI Too Long',
      message: expect.stringMatching(/^url: /),
    });
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('why: API responses forbid sniffing and caching (nosniff everywhere, no-store on /api and /graphql)', async () => {
    const member = bearer(await t.token('member'));
    const cases: Array<{ url: string; method?: 'GET' | 'POST'; payload?: object; personal: boolean }> = [
      { url: '/api/v2/users/me/attributes', personal: true },
      { url: '/api/v2/admin/jobs', personal: true },
      { url: '/api/v2/nothing-here', personal: true },
      { url: '/graphql', method: 'POST', payload: { query: '{ me { memberId } }' }, personal: true },
      { url: '/healthz', personal: false },
      { url: '/docs/json', personal: false },
    ];
    for (const { url, method = 'GET', payload, personal } of cases) {
      const response = await t.app.inject({ method, url, headers: member, payload });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      if (personal) expect(response.headers['cache-control'], url).toBe('no-store');
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v2/users/me/attributes' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
    expect(anonymous.headers['x-content-type-options']).toBe('nosniff');
  });

  it('why: the API docs page carries a Content-Security-Policy and still loads its own scripts and styles', async () => {
    const index = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(index.statusCode).toBe(200);
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'(;| [^;]*;)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Every script and stylesheet the page references is served from the same origin.
    const assets = [...index.body.matchAll(/(?:src|href)="\.\/static\/([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(
      expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-initializer.js', 'swagger-ui.css']),
    );
    for (const asset of assets) {
      const response = await t.app.inject({ method: 'GET', url: `/docs/static/${asset}` });
      expect(response.statusCode, asset).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});

describe.each(databaseKinds)('request logs [%s]', (kind) => {
  let app: FastifyInstance;
  let scratch: ScratchDatabase;
  const lines: string[] = [];
  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await buildApp({ ...testConfig(), logLevel: 'info' }, { database: scratch.db, logStream });
  });
  afterAll(async () => {
    await app?.close();
    await scratch?.dispose();
  });

  it('why: logs redact signatures and tokens carried in query strings', async () => {
    const id = '6f1d1b1e-0000-4000-8000-0000000000bb';
    const expires = Math.floor(Date.now() / 1000) + 600;
    const signature = signUpload(signingKey, id, expires);
    await app.inject({
      method: 'PUT',
      url: `/api/v2/storage/upload/${id}?expires=${expires}&signature=${signature}`,
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    const secrets = ['access-token-SECRET-1', 'token-SECRET-2', 'sig-SECRET-3', 'amz-SECRET-4', 'sigv-SECRET-5'];
    await app.inject({
      method: 'GET',
      url:
        `/api/v2/media/search?q=blade&access_token=${secrets[0]}&token=${secrets[1]}&sig=${secrets[2]}` +
        `&X-Amz-Signature=${secrets[3]}&Signature=${secrets[4]}`,
    });
    const log = lines.join('');
    expect(log).toContain('/api/v2/storage/upload/');
    expect(log).toContain('q=blade');
    expect(log).not.toContain(signature);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
