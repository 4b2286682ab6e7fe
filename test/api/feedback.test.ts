// Swipe feedback through the API on each database: storing swipes and the candidates they remove at
// once (blocks both ways), match detection and GET matches, every bad input (nothing stored), the
// Idempotency-Key (replay, conflict, concurrent retries) and the per-member rate limit shared by two
// replicas on one database (the limiter itself: server/http/rate-limit.test.ts, test/api/rate-limits.test.ts).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/database.js';
import type { Candidate } from '../../shared/schemas/candidates.js';
import type { FeedbackResult, Match } from '../../shared/schemas/feedback.js';
import { databaseKinds } from '../support/databases.js';
import { addTasteVector } from '../support/taste-vectors.js';
import { bearer, startTestApp, testConfig, type TestApp } from '../support/test-app.js';

const FEEDBACK = '/api/v2/discovery/feedback';
const MATCHES = '/api/v2/discovery/matches';
const CANDIDATES = '/api/v2/discovery/candidates?k=100';
const FLOOD_LIMIT = 5;

interface MemberSeed {
  gender?: 'woman' | 'man';
  /** Cosine similarity of the member's taste vector to e0; no vector when absent. */
  similarity?: number;
  deleted?: boolean;
  /** A members row without saved attributes (no birthday or gender). */
  bare?: boolean;
}

/** A woman seeking men or a man seeking women in Berlin, sharing a hobby, so pairs find each other. */
async function addMember(db: Queryable, id: string, seed: MemberSeed = {}): Promise<void> {
  if (seed.bare) {
    await db.query('INSERT INTO members (id) VALUES ($1)', [id]);
    return;
  }
  const gender = seed.gender ?? 'man';
  await db.query(
    `INSERT INTO members (id, gender, seeking, birthday, lat, lon, hobbies, deleted_at)
     VALUES ($1, $2, $3, '1990-05-01', 52.52, 13.405, ARRAY['climbing'], $4)`,
    [id, gender, [gender === 'man' ? 'woman' : 'man'], seed.deleted ? new Date().toISOString() : null],
  );
  if (seed.similarity !== undefined) await addTasteVector(db, id, seed.similarity);
}

describe.each(databaseKinds)('discovery feedback [%s]', (kind) => {
  let t: TestApp;

  async function post(viewer: string, payload: Record<string, unknown>, headers: Record<string, string> = {}, app = t) {
    const response = await app.app.inject({
      method: 'POST',
      url: FEEDBACK,
      headers: { ...bearer(await t.token('member', viewer)), ...headers },
      payload,
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.json<FeedbackResult & { message?: string; error?: string; statusCode?: number }>(),
    };
  }

  async function candidateIds(viewer: string): Promise<string[]> {
    const response = await t.app.inject({
      method: 'GET',
      url: CANDIDATES,
      headers: bearer(await t.token('member', viewer)),
    });
    expect(response.statusCode).toBe(200);
    return response.json<Candidate[]>().map((c) => c.userId);
  }

  async function matches(viewer: string): Promise<Match[]> {
    const response = await t.app.inject({
      method: 'GET',
      url: MATCHES,
      headers: bearer(await t.token('member', viewer)),
    });
    expect(response.statusCode).toBe(200);
    return response.json<Match[]>();
  }

  async function swipeCount(viewer: string): Promise<number> {
    const { rows } = await t.scratch.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM swipes WHERE viewer_id = $1',
      [viewer],
    );
    return rows[0]!.n;
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    const db = t.scratch.db;
    for (const id of ['ana', 'blk-a', 'idem', 'bad-viewer', 'flood', 'quiet'])
      await addMember(db, id, { gender: 'woman', similarity: 1 });
    for (const id of ['ben', 'carl', 'dan', 'gus', 'blk-b', 'blk-c', 'hal', 'ivo']) {
      await addMember(db, id, { similarity: 0.9 });
    }
    await addMember(db, 'gone', { deleted: true });
    await addMember(db, 'bare', { bare: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores a like (201, no match) and drops the target from the viewer’s memoized candidates at once', async () => {
    expect(await candidateIds('ana')).toContain('ben');
    const { status, headers, body } = await post('ana', { targetId: 'ben', action: 'like' });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.any(String),
      targetId: 'ben',
      action: 'like',
      slateId: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      match: false,
      matchedAt: null,
    });
    expect(headers['idempotent-replayed']).toBeUndefined();
    expect(await candidateIds('ana')).not.toContain('ben');
    expect(await swipeCount('ana')).toBe(1);
  });

  it('makes a match when a like answers the target’s like, visible to both through GET matches', async () => {
    expect((await post('carl', { targetId: 'ana', action: 'like' })).body.match).toBe(false);
    const answer = await post('ana', { targetId: 'carl', action: 'superlike' });
    expect(answer.status).toBe(201);
    expect(answer.body.match).toBe(true);
    expect(answer.body.matchedAt).toBe(answer.body.createdAt);
    expect(await matches('ana')).toEqual([{ userId: 'carl', matchedAt: answer.body.matchedAt }]);
    expect(await matches('carl')).toEqual([{ userId: 'ana', matchedAt: answer.body.matchedAt }]);
  });

  it('makes no match when the target passed, or took their like back with a later pass', async () => {
    await post('dan', { targetId: 'ana', action: 'pass' });
    expect((await post('ana', { targetId: 'dan', action: 'like' })).body.match).toBe(false);
    await post('hal', { targetId: 'ana', action: 'like' });
    await post('hal', { targetId: 'ana', action: 'pass' });
    expect((await post('ana', { targetId: 'hal', action: 'like' })).body.match).toBe(false);
    // A pass answering a like is no match either.
    await post('ivo', { targetId: 'ana', action: 'like' });
    expect((await post('ana', { targetId: 'ivo', action: 'pass' })).body.match).toBe(false);
    expect((await matches('ana')).map((m) => m.userId)).toEqual(['carl']);
  });

  it('a block removes the pair from both members’ candidates at once and ends their match', async () => {
    expect(await candidateIds('blk-a')).toContain('blk-c');
    expect(await candidateIds('blk-c')).toContain('blk-a');
    expect((await post('blk-a', { targetId: 'blk-c', action: 'block' })).status).toBe(201);
    expect(await candidateIds('blk-a')).not.toContain('blk-c');
    expect(await candidateIds('blk-c')).not.toContain('blk-a');

    await post('blk-b', { targetId: 'blk-a', action: 'like' });
    expect((await post('blk-a', { targetId: 'blk-b', action: 'like' })).body.match).toBe(true);
    expect((await matches('blk-b')).map((m) => m.userId)).toEqual(['blk-a']);
    const report = await post('blk-b', { targetId: 'blk-a', action: 'report', reason: 'rude messages' });
    expect(report.status).toBe(201);
    expect(await matches('blk-a')).toEqual([]);
    expect(await matches('blk-b')).toEqual([]);
  });

  it('accepts a slateId whose slate showed the target to the caller', async () => {
    const slateId = '0b4c2a8e-7f1d-4c3b-9a6e-5d2f1e0c9b8a';
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, arm) VALUES ($1, 0, 'ana', 'gus', 'test')`,
      [slateId],
    );
    const { status, body } = await post('ana', { targetId: 'gus', action: 'pass', slateId: slateId.toUpperCase() });
    expect(status).toBe(201);
    expect(body.slateId).toBe(slateId);
  });

  it('answers a caller without saved attributes with 404 naming the viewer, storing nothing', async () => {
    const { status, body } = await post('nora', { targetId: 'ben', action: 'like' });
    expect(status).toBe(404);
    expect(body.message).toMatch(/^viewer: member "nora" has no saved attributes/);
  });

  it.each([
    [
      'an unknown target',
      { targetId: 'nobody-here', action: 'like' },
      404,
      /^body\.targetId: member "nobody-here" does not exist/,
    ],
    ['a deleted target', { targetId: 'gone', action: 'like' }, 404, /^body\.targetId: member "gone" does not exist/],
    ['a target without saved attributes', { targetId: 'bare', action: 'like' }, 404, /^body\.targetId: /],
    [
      'a swipe on oneself',
      { targetId: 'bad-viewer', action: 'like' },
      422,
      /^body\.targetId: you cannot swipe on yourself/,
    ],
    [
      'an action not in the list',
      { targetId: 'ben', action: 'poke' },
      400,
      /^body\.action must be equal to one of the allowed values/,
    ],
    ['a missing action', { targetId: 'ben' }, 400, /^body\.action is required/],
    ['a missing targetId', { action: 'like' }, 400, /^body\.targetId is required/],
    ['an unknown field', { targetId: 'ben', action: 'like', note: 'x' }, 400, /^body\.note is not a known field/],
    ['a report without a reason', { targetId: 'ben', action: 'report' }, 422, /^body\.reason: is required/],
    ['a reason on a like', { targetId: 'ben', action: 'like', reason: 'nice' }, 422, /^body\.reason: only a report/],
    ['an empty reason', { targetId: 'ben', action: 'report', reason: '' }, 400, /^body\.reason must NOT have fewer/],
    [
      'a reason over 500 characters',
      { targetId: 'ben', action: 'report', reason: 'x'.repeat(501) },
      400,
      /^body\.reason must NOT have more/,
    ],
    [
      'a slateId that is not a uuid',
      { targetId: 'ben', action: 'like', slateId: 'slate-1' },
      400,
      /^body\.slateId must match format "uuid"/,
    ],
    [
      'a slate that did not show the target to the caller',
      { targetId: 'ben', action: 'like', slateId: '0b4c2a8e-7f1d-4c3b-9a6e-5d2f1e0c9b8a' },
      422,
      /^body\.slateId: slate "0b4c2a8e-7f1d-4c3b-9a6e-5d2f1e0c9b8a" did not show member "ben" to you/,
    ],
  ])('answers %s with a clear error naming the field, storing nothing', async (_name, payload, status, message) => {
    const response = await post('bad-viewer', payload);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({
      statusCode: status,
      error: expect.any(String),
      message: expect.stringMatching(message),
    });
    expect(await swipeCount('bad-viewer')).toBe(0);
  });

  it('replays a retry with the same Idempotency-Key and body: same swipe, 201, idempotent-replayed', async () => {
    const key = { 'idempotency-key': 'swipe-7f3a:retry' };
    const first = await post('idem', { targetId: 'ben', action: 'like' }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('idem', { targetId: 'ben', action: 'like' }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await swipeCount('idem')).toBe(1);
    // The key is per caller: another member may use the same one.
    expect(
      (await post('ana', { targetId: 'ivo', action: 'pass' }, key)).headers['idempotent-replayed'],
    ).toBeUndefined();
  });

  it('answers 409 naming the header when a key is reused for a different request, storing nothing', async () => {
    const key = { 'idempotency-key': 'reused-key' };
    await post('idem', { targetId: 'carl', action: 'pass' }, key);
    const before = await swipeCount('idem');
    const other = await post('idem', { targetId: 'carl', action: 'block' }, key);
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/^headers\.idempotency-key: already used for a different request/);
    expect(await swipeCount('idem')).toBe(before);
  });

  it('stores one swipe for concurrent retries with the same key', async () => {
    const key = { 'idempotency-key': 'concurrent-key' };
    const before = await swipeCount('idem');
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => post('idem', { targetId: 'dan', action: 'superlike' }, key)),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(3);
    expect(await swipeCount('idem')).toBe(before + 1);
  });

  it.each([
    ['an empty key', ''],
    ['a key with a space', 'two words'],
    ['a key over 128 characters', 'k'.repeat(129)],
  ])('answers 400 naming the header for %s', async (_name, value) => {
    const before = await swipeCount('idem');
    const response = await post('idem', { targetId: 'gus', action: 'like' }, { 'idempotency-key': value });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^headers\.idempotency-key /);
    expect(await swipeCount('idem')).toBe(before);
  });

  it('refuses the request beyond the per-member limit with 429 and Retry-After, counted across replicas', async () => {
    const base = testConfig();
    rmSync(base.dataDir, { recursive: true, force: true });
    const limited = {
      config: { rateLimits: { ...base.rateLimits, feedback: FLOOD_LIMIT } },
      scratch: t.scratch,
    };
    // Two more replicas on the same database: the count lives in Postgres, not in either process.
    const replicas = [await startTestApp(kind, limited), await startTestApp(kind, limited)];
    try {
      const key = { 'idempotency-key': 'flood-first' };
      const statuses: number[] = [];
      for (let i = 0; i < FLOOD_LIMIT; i++) {
        const replica = replicas[i % 2]!;
        statuses.push((await post('flood', { targetId: 'ben', action: 'pass' }, i === 0 ? key : {}, replica)).status);
      }
      expect(statuses).toEqual(new Array(FLOOD_LIMIT).fill(201));

      for (const replica of replicas) {
        const refused = await post('flood', { targetId: 'carl', action: 'like' }, {}, replica);
        expect(refused.status).toBe(429);
        expect(refused.body).toEqual({
          statusCode: 429,
          error: 'Too Many Requests',
          message: expect.stringMatching(
            /^rate limit: at most 5 feedback requests per minute per member; retry in \d+ s$/,
          ),
        });
        const retryAfter = Number(refused.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        // Sliding window: the rest of this minute, plus until enough of it has slid out for one more
        // request — at most 60 s + 60 s × (1 − (limit − 1) / limit), i.e. 72 s for a limit of 5.
        expect(retryAfter).toBeLessThanOrEqual(60 + Math.ceil(60 * (1 - (FLOOD_LIMIT - 1) / FLOOD_LIMIT)));
      }
      expect(await swipeCount('flood')).toBe(FLOOD_LIMIT);
      // The limit is counted before the route runs, so a replay at the limit is refused like any request
      // (and, retried after Retry-After, answered from the stored swipe); nothing new is stored.
      const replay = await post('flood', { targetId: 'ben', action: 'pass' }, key, replicas[1]);
      expect(replay.status).toBe(429);
      expect(await swipeCount('flood')).toBe(FLOOD_LIMIT);
      // Another member is not affected.
      expect((await post('quiet', { targetId: 'ivo', action: 'pass' }, {}, replicas[0])).status).toBe(201);
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });
});
