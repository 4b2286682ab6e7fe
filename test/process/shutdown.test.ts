// Proves graceful shutdown on SIGTERM: the server logs it, stops taking new connections, still answers
// a request that was in flight when the signal arrived (and commits it), exits 0 within 20 s, and
// releases the database so the next start on the same data dir / database works and sees the write.
// It also holds with a keep-alive client (which once held the exit for Fastify's 72 s keepAliveTimeout)
// and through the exact command `npm run serve` runs (the tsx CLI once SIGKILLed a stalled app).
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../server/auth/tokens.js';
import { databaseKinds } from '../support/databases.js';
import {
  freePort,
  killAll,
  logLines,
  makeTempDir,
  nodeArgv,
  npmScriptArgv,
  processSandbox,
  removeDir,
  type ServerProcess,
  startServer,
} from '../support/processes.js';
import { validAttributes } from '../support/test-app.js';

const PATH = '/api/v2/users/me/attributes';
const SECRET = 'process-test-secret-0123456789-abcdefghijklmnop';
const REQUEST_ID = 'inflight-put-during-sigterm';

interface Answer {
  status: number;
  body: string;
}

/**
 * A PUT whose headers and first half of the body are sent now; `finish()` sends the rest. Until then
 * the server has the request but cannot complete it: it is in flight. `agent` false sends
 * `Connection: close`; a keep-alive agent behaves like browsers, load balancers and fetch.
 */
function halfSentPut(
  url: string,
  token: string,
  body: unknown,
  agent: http.Agent | false = false,
): { finish(): void; answer: Promise<Answer> } {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  const request = http.request(`${url}${PATH}`, {
    method: 'PUT',
    agent,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'content-length': String(payload.length),
      'x-request-id': REQUEST_ID,
    },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.once('error', reject);
    });
  });
  request.write(payload.subarray(0, half));
  return { finish: () => request.end(payload.subarray(half)), answer };
}

/** One request on a fresh connection: its status, or the connection error's code. */
async function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get(`${url}/healthz`, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe.each(databaseKinds)('SIGTERM [%s]', (kind) => {
  const sandbox = processSandbox(kind);

  it(
    'finishes the in-flight request, exits 0 and leaves the data for the next start',
    { timeout: 120_000 },
    async () => {
      const env = { SDE_DATA_DIR: sandbox.dir, SDE_JWT_SECRET: SECRET, SDE_DEMO_MEMBERS: '0', ...sandbox.databaseEnv };
      const token = await mintLocalToken(
        { kind: 'hs256', secret: SECRET, roleClaim: 'role' },
        { subject: 'm-inflight', role: 'member' },
      );
      const body = { ...validAttributes(), hobbies: ['saved during shutdown'] };

      const first: ServerProcess = await startServer({ env, port: await freePort() });
      const put = halfSentPut(first.url, token, body);
      await first.child.waitForStdout(new RegExp(`"reqId":"${REQUEST_ID}".*"msg":"incoming request"`), 10_000);

      const signalledAt = Date.now();
      first.child.signal('SIGTERM');
      await first.child.waitForStdout(/"msg":"shutting down[^"]*"/, 10_000);

      // New connections are turned away (refused, or 503 while closing); the half-sent request is not.
      const deadline = Date.now() + 10_000;
      let probed: number | string = await probe(first.url);
      while (probed === 200 && Date.now() < deadline) probed = await probe(first.url);
      expect(probed === 'ECONNREFUSED' || probed === 503, `a new request during shutdown got ${probed}`).toBe(true);
      expect(first.child.exit, 'exited while a request was still in flight').toBeUndefined();

      put.finish();
      const answer = await put.answer;
      expect(answer.status, `${answer.body}\n${first.child.describe()}`).toBe(201);
      expect(JSON.parse(answer.body)).toMatchObject({ memberId: 'm-inflight', hobbies: body.hobbies });

      const exit = await first.child.waitForExit(20_000);
      expect(exit, first.child.describe()).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(20_000);
      const shutdownLine = logLines(first.child.stdout).find((line) => String(line.msg).startsWith('shutting down'));
      expect(shutdownLine).toMatchObject({ signal: 'SIGTERM' });
      expect(first.child.stderr).not.toMatch(/error|Killing/i);

      // Started again on the same data dir (PGlite's lock was released) or database: the write is there.
      const second = await startServer({ env, port: await freePort() });
      const read = await fetch(`${second.url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status, second.child.describe()).toBe(200);
      expect(await read.json()).toMatchObject({ memberId: 'm-inflight', ...body });

      // An idle server stops just as cleanly, and a third start still finds everything.
      second.child.signal('SIGTERM');
      expect(await second.child.waitForExit(20_000)).toEqual({ code: 0, signal: null });
      const third = await startServer({ env, port: await freePort() });
      const again = await fetch(`${third.url}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
      expect(again.status, third.child.describe()).toBe(200);
      third.child.signal('SIGTERM');
      expect(await third.child.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    },
  );
});

// A request in flight on a keep-alive connection must not leave an idle socket that keeps
// `server.close()` (so the exit) waiting for Fastify's 72 s keepAliveTimeout, past any orchestrator's
// grace period: the server answers it with `Connection: close`.
describe('SIGTERM with a keep-alive client [pglite]', () => {
  const sandbox = processSandbox();
  const agent = new http.Agent({ keepAlive: true });
  // Runs before the sandbox's hook (after-hooks run last-registered first): the client lets go first.
  afterAll(() => agent.destroy());

  it('exits within 20 s after answering the in-flight request', { timeout: 90_000 }, async () => {
    const env = { SDE_DATA_DIR: sandbox.dir, SDE_JWT_SECRET: SECRET, SDE_DEMO_MEMBERS: '0' };
    const token = await mintLocalToken(
      { kind: 'hs256', secret: SECRET, roleClaim: 'role' },
      { subject: 'm-keepalive', role: 'member' },
    );
    const server = await startServer({ env, port: await freePort() });
    const put = halfSentPut(server.url, token, validAttributes(), agent);
    await server.child.waitForStdout(new RegExp(`"reqId":"${REQUEST_ID}".*"msg":"incoming request"`), 10_000);
    server.child.signal('SIGTERM');
    await server.child.waitForStdout(/"msg":"shutting down[^"]*"/, 10_000);
    put.finish();
    expect((await put.answer).status).toBe(201);
    // The client keeps its idle connection, as keep-alive clients do; the server must not wait on it.
    expect(await server.child.waitForExit(20_000)).toEqual({ code: 0, signal: null });
  });
});

/**
 * SIGTERM to the process as a supervisor sends it, while the app process is stalled for 200 ms (a
 * GC pause, a busy CPU, a long synchronous step): the app must still shut down gracefully.
 */
async function stalledShutdown(argv: readonly string[], dataDir: string): Promise<void> {
  const server = await startServer({
    argv,
    env: { SDE_DATA_DIR: dataDir, SDE_JWT_SECRET: SECRET, SDE_DEMO_MEMBERS: '0' },
    port: await freePort(),
  });
  const appPid = Number(logLines(server.child.stdout)[0]?.pid);
  expect(appPid, server.child.describe()).toBeGreaterThan(0);
  server.child.signal('SIGTERM');
  process.kill(appPid, 'SIGSTOP');
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    process.kill(appPid, 'SIGCONT');
  } catch (error) {
    // Already gone: something killed it while it was stopped; the exit below says what.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  const exit = await server.child.waitForExit(20_000);
  expect(exit, server.child.describe()).toEqual({ code: 0, signal: null });
  expect(server.child.stdout).toContain('shutting down');
}

describe('SIGTERM while the app is stalled [pglite]', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await killAll();
    for (const dir of dirs) removeDir(dir);
  });
  function dataDir(): string {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  }

  it(
    'shuts down gracefully when the app is the process signalled (node --import tsx)',
    { timeout: 90_000 },
    async () => {
      await stalledShutdown(nodeArgv('server/main.ts'), dataDir());
    },
  );

  // The tsx CLI relays SIGTERM and SIGKILLs an app that has not acknowledged within ~30 ms, so
  // package.json runs `node --import tsx`: the app itself is the process signalled.
  it('shuts down gracefully through the command `npm run serve` runs', { timeout: 90_000 }, async () => {
    await stalledShutdown(npmScriptArgv('serve'), dataDir());
  });
});
