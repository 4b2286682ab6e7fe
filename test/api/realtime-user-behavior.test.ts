// The realtime user_behavior channel over real HTTP (the stream never ends, so app.inject cannot read
// it): two app instances on one database — a swipe through replica A reaches subscribers on replica B
// (on PGlite both share the one in-process instance). Member visibility, staff filters, resuming with
// Last-Event-ID without loss or repeats, the retention reset, heartbeats, slow consumers dropped, stream
// caps, bad filters named, and streams ending when the app closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../server/config/config.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { SseClient, type SseTarget } from '../support/sse-client.js';
import { bearer, memberWithProfile, startTestApp, type TestApp } from '../support/test-app.js';

const ALICE = 'rt-alice';
const BOB = 'rt-bob';
const CAROL = 'rt-carol';
const DAVE = 'rt-dave';
const EVE = 'rt-eve';
const FRANK = 'rt-frank';
const GINA = 'rt-gina';
const MEMBERS = [ALICE, BOB, CAROL, DAVE, EVE, FRANK, GINA];
const STREAM = '/api/v2/realtime/user-behavior';

function realtimeConfig(overrides: Partial<Config['realtime']> = {}): Partial<Config> {
  return {
    realtime: {
      heartbeatSeconds: 1,
      retentionHours: 24,
      maxBufferedBytes: 256 * 1024,
      maxStreamsPerCaller: 5,
      maxStreams: 100,
      ...overrides,
    },
  };
}

describe.each(databaseKinds)('realtime user_behavior channel [%s]', (kind) => {
  let scratch: ScratchDatabase;
  let a: TestApp;
  let b: TestApp;
  let onB: SseTarget;
  const open: SseClient[] = [];

  async function stream(target: SseTarget, token: string, query = '', headers: Record<string, string> = {}) {
    const client = await SseClient.open(target, `${STREAM}${query}`, { ...bearer(token), ...headers });
    open.push(client);
    return client;
  }

  async function swipe(actor: string, targetId: string, action: string, reason?: string) {
    const response = await a.app.inject({
      method: 'POST',
      url: '/api/v2/discovery/feedback',
      headers: bearer(await a.token('member', actor)),
      payload: { targetId, action, ...(reason ? { reason } : {}) },
    });
    expect(response.statusCode, response.body).toBe(201);
  }

  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    a = await startTestApp(kind, { scratch, config: realtimeConfig() });
    b = await startTestApp(kind, { scratch, config: realtimeConfig() });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
    const address = b.app.server.address();
    if (!address || typeof address === 'string') throw new Error('replica B is not listening on TCP');
    onB = { baseUrl: `http://127.0.0.1:${address.port}` };
    for (const member of MEMBERS) await memberWithProfile(a, member);
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await a?.close();
    await b?.close();
    await scratch?.dispose();
  });

  it('streams a swipe made through replica A to a staff subscriber on replica B, as server-sent events', async () => {
    const staff = await stream(onB, await b.token('reviewer'));
    expect(staff.response.statusCode).toBe(200);
    expect(staff.response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(staff.response.headers['cache-control']).toContain('no-cache');
    expect(staff.response.headers['x-accel-buffering']).toBe('no');
    await staff.waitUntil(() => staff.text.startsWith('retry: '), 5_000, 'the retry hint');

    await swipe(ALICE, BOB, 'superlike');
    const [event] = await staff.waitForEvents('user_behavior', 1);
    expect(event!.id).toMatch(/^\d+$/);
    expect(event!.data).toEqual({
      id: event!.id,
      kind: 'superlike',
      actorId: ALICE,
      targetId: BOB,
      slateId: null,
      createdAt: expect.any(String),
    });
  });

  it('shows a member only the likes they received and their matches, never passes, blocks, reports or others’ events', async () => {
    const bob = await stream(onB, await b.token('member', BOB));
    const carol = await stream(onB, await b.token('member', CAROL));
    await swipe(CAROL, BOB, 'like'); // bob: like received from carol
    await swipe(DAVE, BOB, 'pass'); // never shown
    await swipe(EVE, BOB, 'report', 'rude'); // never shown
    await swipe(BOB, CAROL, 'like'); // a match: both see it; bob's own like is not "received"
    await swipe(ALICE, CAROL, 'like'); // carol's, not bob's
    await swipe(BOB, FRANK, 'block');
    await swipe(FRANK, BOB, 'like'); // from a member bob blocked: never shown
    await swipe(GINA, BOB, 'like'); // the last one: everything before it has been delivered by then

    const received = await bob.waitForEvents('user_behavior', 3);
    expect(received.map((frame) => frame.data)).toEqual([
      { id: expect.any(String), kind: 'like', memberId: CAROL, createdAt: expect.any(String) },
      { id: expect.any(String), kind: 'match', memberId: CAROL, createdAt: expect.any(String) },
      { id: expect.any(String), kind: 'like', memberId: GINA, createdAt: expect.any(String) },
    ]);
    const carolSaw = await carol.waitForEvents('user_behavior', 3);
    expect(carolSaw.map((frame) => frame.data)).toMatchObject([
      { kind: 'like', memberId: BOB },
      { kind: 'match', memberId: BOB },
      { kind: 'like', memberId: ALICE },
    ]);
    // Nothing else arrives later either (the stream stays quiet apart from heartbeats).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bob.named('user_behavior')).toHaveLength(3);
  });

  it('narrows a staff stream to the kinds and member asked for', async () => {
    const filtered = await stream(onB, await b.token('admin'), `?kinds=match,pass&memberId=${DAVE}`);
    await swipe(DAVE, EVE, 'like'); // a like: not asked for
    await swipe(ALICE, EVE, 'pass'); // not dave
    await swipe(EVE, DAVE, 'like'); // a match with dave (and eve's like, not asked for)
    await swipe(DAVE, GINA, 'pass');
    const frames = await filtered.waitForEvents('user_behavior', 2);
    expect(frames.map((frame) => frame.data)).toMatchObject([
      { kind: 'match', actorId: EVE, targetId: DAVE },
      { kind: 'pass', actorId: DAVE, targetId: GINA },
    ]);
  });

  it('resumes after Last-Event-ID without losing or repeating an event, then goes on live', async () => {
    const token = await b.token('ml_engineer');
    const first = await stream(onB, token, `?memberId=${GINA}`);
    await swipe(GINA, ALICE, 'pass');
    const [seen] = await first.waitForEvents('user_behavior', 1);
    first.close();
    await first.closed;

    await swipe(GINA, CAROL, 'pass'); // while disconnected
    await swipe(GINA, DAVE, 'like'); // while disconnected
    // EventSource resends the original URL (with a stale lastEventId) and the newer header: the header wins.
    const resumed = await stream(onB, token, `?memberId=${GINA}&lastEventId=0`, { 'last-event-id': seen!.id! });
    const replayed = await resumed.waitForEvents('user_behavior', 2);
    await swipe(GINA, EVE, 'superlike'); // live
    const all = await resumed.waitForEvents('user_behavior', 3);
    expect(
      all.map((frame) => [(frame.data as { kind: string }).kind, (frame.data as { targetId: string }).targetId]),
    ).toEqual([
      ['pass', CAROL],
      ['like', DAVE],
      ['superlike', EVE],
    ]);
    const ids = all.map((frame) => BigInt(frame.id!));
    expect(ids.every((id, i) => id > (i === 0 ? BigInt(seen!.id!) : ids[i - 1]!))).toBe(true);
    expect(replayed[0]!.id).not.toBe(seen!.id);

    // The query parameter alone resumes too (for clients that cannot set the header).
    const byQuery = await stream(onB, token, `?memberId=${GINA}&lastEventId=${seen!.id}`);
    expect((await byQuery.waitForEvents('user_behavior', 3)).map((frame) => frame.id)).toEqual(all.map((f) => f.id));
  });

  it('starts with a reset event when the resume point is past retention, pruned, or never issued', async () => {
    const token = await b.token('admin');
    const before = await stream(onB, token, `?memberId=${FRANK}`);
    await swipe(FRANK, ALICE, 'pass');
    const [old] = await before.waitForEvents('user_behavior', 1);
    await swipe(FRANK, CAROL, 'pass');
    await before.waitForEvents('user_behavior', 2);
    // Age the second event out of the 24-hour window: it is past retention though not yet pruned.
    await scratch.db.query(
      `UPDATE behavior_events SET created_at = now() - interval '2 days' WHERE actor_id = $1 AND id > $2`,
      [FRANK, old!.id],
    );
    const expired = await stream(onB, token, '', { 'last-event-id': old!.id! });
    const [reset] = await expired.waitForEvents('reset', 1);
    expect(reset!.data).toMatchObject({ reason: 'expired', message: expect.stringContaining('no longer kept') });
    expect(expired.named('user_behavior')).toEqual([]);

    // The prune deletes it and remembers how far it went, so the same resume point still says so.
    expect(await a.app.engine.userBehavior.prune()).toBeGreaterThanOrEqual(1);
    const pruned = await stream(onB, token, '', { 'last-event-id': old!.id! });
    expect((await pruned.waitForEvents('reset', 1))[0]!.data).toMatchObject({ reason: 'expired' });

    const unknown = await stream(onB, token, '?lastEventId=900000000000');
    const [unknownReset] = await unknown.waitForEvents('reset', 1);
    expect(unknownReset!.data).toMatchObject({ reason: 'unknown' });
    // The reset carries an id the client resumes from next time; live events follow it.
    await swipe(FRANK, GINA, 'like');
    const [live] = await unknown.waitForEvents('user_behavior', 1);
    expect(BigInt(live!.id!)).toBeGreaterThan(BigInt(unknownReset!.id!));
  });

  it('sends heartbeat comments while the stream is quiet', async () => {
    const quiet = await stream(onB, await b.token('reviewer'), `?memberId=nobody-at-all`);
    await quiet.waitUntil(() => quiet.comments.filter((c) => c === 'ping').length >= 2, 5_000, 'two heartbeats');
  });

  it('refuses bad filters with a 4xx naming the field, and callers without a token', async () => {
    const member = await b.token('member', BOB);
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['?kinds=like,wink', bearer(await b.token('admin')), 400, 'querystring.kinds: unknown event kind "wink"'],
      ['?kinds=pass', bearer(member), 403, 'querystring.kinds: members receive only'],
      [`?memberId=${CAROL}`, bearer(member), 403, 'querystring.memberId:'],
      ['?lastEventId=abc', bearer(member), 400, 'querystring.lastEventId'],
      ['', { ...bearer(member), 'last-event-id': '-1' }, 400, 'headers.last-event-id'],
    ];
    for (const [query, headers, status, message] of cases) {
      const response = await SseClient.open(onB, `${STREAM}${query}`, headers);
      const body = await response.json();
      expect([query, response.response.statusCode, body.message]).toEqual([
        query,
        status,
        expect.stringContaining(message),
      ]);
    }
    const anonymous = await SseClient.open(onB, STREAM);
    expect(anonymous.response.statusCode).toBe(401);
    await anonymous.closed;
  });

  describe('limits and shutdown', () => {
    let c: TestApp;
    let socketDir: string;
    let onC: SseTarget;
    let closed = false;
    beforeAll(async () => {
      c = await startTestApp(kind, {
        scratch,
        config: realtimeConfig({ maxBufferedBytes: 64 * 1024, maxStreamsPerCaller: 2, maxStreams: 3 }),
      });
      // A Unix socket's small buffers fill with a few hundred kilobytes; a TCP loopback's take megabytes.
      socketDir = mkdtempSync(path.join(tmpdir(), 'sde-sse-'));
      const socketPath = path.join(socketDir, 'c.sock');
      await c.app.listen({ path: socketPath });
      onC = { socketPath };
    });
    afterAll(async () => {
      if (!closed) await c?.close();
      rmSync(socketDir, { recursive: true, force: true });
    });

    it('caps open streams per caller (429) and per replica (503)', async () => {
      const staff = await c.token('admin', 'cap-admin');
      const held = [await stream(onC, staff), await stream(onC, staff)];
      const third = await SseClient.open(onC, STREAM, bearer(staff));
      expect(third.response.statusCode).toBe(429);
      expect(third.response.headers['retry-after']).toBeDefined();
      held.push(await stream(onC, await c.token('reviewer', 'cap-reviewer')));
      const full = await SseClient.open(onC, STREAM, bearer(await c.token('reviewer', 'cap-other')));
      expect(full.response.statusCode).toBe(503);
      // A closed stream frees its slot.
      held[0]!.close();
      (await openAdmitted(onC, await c.token('reviewer', 'cap-other'))).close();
      for (const client of held) client.close();
    });

    it('drops a live consumer whose unsent events pass the bound instead of buffering for it', async () => {
      const slow = await openAdmitted(onC, await c.token('admin', 'slow-live'));
      slow.pause();
      // Live events cannot wait for a client: enough of them overflow the socket's buffers, then the bound.
      await scratch.db.query(
        `INSERT INTO swipes (viewer_id, target_id, action) SELECT $1, $2, 'pass' FROM generate_series(1, 4000)`,
        [ALICE, EVE],
      );
      await droppedWithin(slow, 10_000);
      // The server ended it (the client never closed) before all events were through.
      expect(slow.named('user_behavior').length).toBeLessThan(4000);
    });

    it('drops a replaying consumer that stops draining its socket for two heartbeats', async () => {
      const { rows } = await scratch.db.query<{ id: string }>(
        `SELECT (max(id) - 4000)::text AS id FROM behavior_events`,
      );
      const stalled = await openAdmitted(onC, await c.token('admin', 'slow-replay'), `?lastEventId=${rows[0]!.id}`);
      stalled.pause();
      await droppedWithin(stalled, 10_000);
      expect(stalled.named('user_behavior').length).toBeLessThan(4000);
    });

    it('ends open streams when the app closes, so close() does not hang', async () => {
      const lingering = await stream(onC, await c.token('reviewer', 'closing'));
      await lingering.waitUntil(() => lingering.text.startsWith('retry:'), 5_000, 'the stream to open');
      await c.close();
      closed = true;
      await lingering.closed;
    });
  });
});

/**
 * Keeps the client stalled for a few heartbeats, then reads on: a stream the server dropped meanwhile
 * ends once the client has read what was already in its socket; one still open would go on for ever.
 */
async function droppedWithin(client: SseClient, timeoutMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  client.resume();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.closed,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the slow consumer was not dropped')), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Opens a stream once one is admitted (a closed stream's slot is freed when the server sees the close). */
async function openAdmitted(target: SseTarget, token: string, query = ''): Promise<SseClient> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const client = await SseClient.open(target, `${STREAM}${query}`, bearer(token));
    if (client.response.statusCode === 200) return client;
    client.close();
    if (Date.now() > deadline) throw new Error(`no stream slot freed: still ${client.response.statusCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
