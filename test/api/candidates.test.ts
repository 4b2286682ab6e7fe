// Candidate retrieval through the API on each database: both sources and how they merge, every
// exclusion rule, cold start, who may ask for whose candidates, bad input, and the 30 s memo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../server/db/database.js';
import { CandidatesService } from '../../server/retrieval/candidates.service.js';
import { CandidatesRepository } from '../../server/retrieval/candidates.repository.js';
import type { Candidate } from '../../shared/schemas/candidates.js';
import { countingDatabase } from '../support/counting-database.js';
import { databaseKinds } from '../support/databases.js';
import { addTasteVector } from '../support/taste-vectors.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const PATH = '/api/v2/discovery/candidates';
const BERLIN = { lat: 52.52, lon: 13.405 };
const POTSDAM = { lat: 52.39, lon: 13.065 };
const HAMBURG = { lat: 53.551, lon: 9.993 };
const MADRID = { lat: 40.4168, lon: -3.7038 };

interface MemberSeed {
  gender?: string;
  seeking?: string[];
  at?: { lat: number; lon: number };
  hobbies?: string[];
  communities?: string[];
  shareInterests?: boolean;
  optedOut?: boolean;
  deleted?: boolean;
  /** Cosine similarity of the member's taste vector to the viewer's; no vector when absent. */
  similarity?: number;
}

async function addMember(db: Queryable, id: string, seed: MemberSeed): Promise<void> {
  const at = seed.at ?? BERLIN;
  const shared = !seed.optedOut;
  await db.query(
    `INSERT INTO members (id, gender, seeking, birthday, lat, lon, hobbies, communities,
                          share_interests, share_behavioural, share_connectors, share_favorites, deleted_at)
     VALUES ($1, $2, $3, '1990-05-01', $4, $5, $6, $7, $8, $9, $9, $9, $10)`,
    [
      id,
      seed.gender ?? 'man',
      seed.seeking ?? ['woman'],
      at.lat,
      at.lon,
      seed.hobbies ?? [],
      seed.communities ?? [],
      (seed.shareInterests ?? true) && shared,
      shared,
      seed.deleted ? new Date().toISOString() : null,
    ],
  );
  if (seed.similarity !== undefined) await addTasteVector(db, id, seed.similarity);
}

async function swipe(db: Queryable, viewer: string, target: string, action: string, daysAgo = 1): Promise<void> {
  await db.query(
    `INSERT INTO swipes (viewer_id, target_id, action, reason, created_at)
     VALUES ($1, $2, $3, $4, now() - make_interval(days => $5::int))`,
    [viewer, target, action, action === 'report' ? 'test report' : null, daysAgo],
  );
}

/** Every one of these would be found by both sources (shared hobby, close by, similar taste). */
const EXCLUDED = [
  'blocked-by-viewer',
  'blocked-the-viewer',
  'reported-by-viewer',
  'passed-recently',
  'liked-recently',
  'a-woman',
  'seeks-men',
  'deleted',
  'opted-out',
  'in-madrid',
];

describe.each(databaseKinds)('GET /api/v2/discovery/candidates [%s]', (kind) => {
  let t: TestApp;
  let memberToken: string;

  async function candidates(query: string, token = memberToken) {
    const response = await t.app.inject({ method: 'GET', url: `${PATH}${query}`, headers: bearer(token) });
    return { status: response.statusCode, body: response.json<Candidate[] & { message?: string }>() };
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    const db = t.scratch.db;
    const near = { hobbies: ['climbing'], similarity: 0.9 };
    await addMember(db, 'viewer', {
      gender: 'woman',
      seeking: ['man', 'nonbinary'],
      hobbies: ['climbing', 'film noir'],
      communities: ['Berlin Techno'],
      similarity: 1,
    });
    await addMember(db, 'cold-viewer', { gender: 'woman', seeking: ['man'], hobbies: ['climbing'] });
    await addMember(db, 'taste-only', { at: POTSDAM, hobbies: ['chess'], similarity: 0.85 });
    await addMember(db, 'both-sources', { hobbies: ['climbing', 'film noir'], similarity: 0.6 });
    await addMember(db, 'community-only', { gender: 'nonbinary', seeking: ['woman'], communities: ['Berlin Techno'] });
    await addMember(db, 'in-hamburg', { at: HAMBURG, hobbies: ['climbing'], similarity: 0.8 });
    await addMember(db, 'interests-private', { hobbies: ['climbing'], shareInterests: false });
    await addMember(db, 'liked-long-ago', near);
    await addMember(db, 'blocked-by-viewer', near);
    await addMember(db, 'blocked-the-viewer', near);
    await addMember(db, 'reported-by-viewer', near);
    await addMember(db, 'passed-recently', near);
    await addMember(db, 'liked-recently', near);
    await addMember(db, 'a-woman', { ...near, gender: 'woman', seeking: ['woman'] });
    await addMember(db, 'seeks-men', { ...near, seeking: ['man'] });
    await addMember(db, 'deleted', { ...near, deleted: true });
    await addMember(db, 'opted-out', { ...near, optedOut: true });
    await addMember(db, 'in-madrid', { ...near, at: MADRID });
    await swipe(db, 'viewer', 'blocked-by-viewer', 'block');
    await swipe(db, 'blocked-the-viewer', 'viewer', 'block');
    await swipe(db, 'viewer', 'reported-by-viewer', 'report');
    await swipe(db, 'viewer', 'passed-recently', 'pass', 2);
    await swipe(db, 'viewer', 'liked-recently', 'superlike', 29);
    await swipe(db, 'viewer', 'liked-long-ago', 'like', 31);
    memberToken = await t.token('member', 'viewer');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('merges the taste and community sources, deduplicated, best first', async () => {
    const { status, body } = await candidates('?k=50');
    expect(status).toBe(200);
    const byId = new Map(body.map((c) => [c.userId, c]));
    expect([...byId.keys()].sort()).toEqual(
      ['both-sources', 'community-only', 'in-hamburg', 'liked-long-ago', 'taste-only'].sort(),
    );
    expect(byId.get('taste-only')).toMatchObject({ sources: ['taste'] });
    expect(byId.get('taste-only')?.score).toBeCloseTo(0.85, 4);
    // Jaccard of {climbing, film noir, Berlin Techno} and {Berlin Techno} is 1/3.
    expect(byId.get('community-only')).toMatchObject({ sources: ['community'] });
    expect(byId.get('community-only')?.score).toBeCloseTo(1 / 3, 4);
    // Found by both: taste 0.6, Jaccard 2/3 → 1 − 0.4 × 1/3.
    expect(byId.get('both-sources')).toMatchObject({ sources: ['taste', 'community'] });
    expect(byId.get('both-sources')?.score).toBeCloseTo(1 - 0.4 / 3, 4);
    const scores = body.map((c) => c.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('excludes the viewer, blocks and reports both ways, recent swipes, gender mismatches, deleted and opted-out members, and members too far away', async () => {
    const ids = (await candidates('?k=500')).body.map((c) => c.userId);
    expect(ids).not.toContain('viewer');
    for (const excluded of EXCLUDED) expect(ids).not.toContain(excluded);
  });

  it('applies the community source’s 100 km cap while taste reaches 500 km, and respects private interests', async () => {
    const { body } = await candidates('?k=50');
    // Hamburg (~255 km) shares a hobby and has a similar taste: found by taste only.
    expect(body.find((c) => c.userId === 'in-hamburg')?.sources).toEqual(['taste']);
    expect(body.map((c) => c.userId)).not.toContain('interests-private');
  });

  it('returns at most k', async () => {
    const { status, body } = await candidates('?k=2');
    expect(status).toBe(200);
    expect(body).toHaveLength(2);
  });

  it('serves a viewer without a taste vector in the generic mode, never from the taste ANN (cold start)', async () => {
    const { status, body } = await candidates('?k=50', await t.token('member', 'cold-viewer'));
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
    for (const candidate of body) expect(candidate.sources).not.toContain('taste');
    expect(body.find((c) => c.userId === 'both-sources')?.sources).toContain('community');
    // 'taste-only' shares no hobby or community: only proximity can find it.
    expect(body.find((c) => c.userId === 'taste-only')?.sources).toEqual(['proximity']);
  });

  it('answers 404 for a caller who has no attributes', async () => {
    const { status, body } = await candidates('', await t.token('member', 'nobody'));
    expect(status).toBe(404);
    expect(body.message).toMatch(/^viewer: member "nobody" has no saved attributes/);
  });

  it.each([
    ['k = 0', '?k=0', /^querystring\.k must be >= 1/],
    ['k = 10000', '?k=10000', /^querystring\.k must be <= 500/],
    ['a non-numeric k', '?k=abc', /^querystring\.k must be integer/],
    ['a fractional k', '?k=2.5', /^querystring\.k must be integer/],
    ['an unknown parameter', '?limit=5', /^querystring\.limit is not a known field/],
  ])('answers 400 naming the field for %s', async (_name, query, message) => {
    const { status, body } = await candidates(query);
    expect(status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it('lets staff review another member’s candidates, and no member', async () => {
    const own = await candidates('?k=50');
    const reviewed = await candidates('?k=50&viewerId=viewer', await t.token('reviewer', 'reviewer-1'));
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toEqual(own.body);
    expect((await candidates('?k=50&viewerId=viewer')).status).toBe(200);
    const refused = await candidates('?k=50&viewerId=cold-viewer');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/^querystring\.viewerId: /);
  });

  it('memoizes per viewer and k until invalidated', async () => {
    await addMember(t.scratch.db, 'late-joiner', { hobbies: ['climbing'], similarity: 0.7 });
    expect((await candidates('?k=50')).body.map((c) => c.userId)).not.toContain('late-joiner');
    // A different k is a different entry, computed now.
    expect((await candidates('?k=49')).body.map((c) => c.userId)).toContain('late-joiner');
    t.app.engine.candidates.invalidateCandidates('viewer');
    expect((await candidates('?k=50')).body.map((c) => c.userId)).toContain('late-joiner');
    await swipe(t.scratch.db, 'viewer', 'late-joiner', 'pass', 0);
    t.app.engine.candidates.invalidateCandidates('viewer');
    expect((await candidates('?k=50')).body.map((c) => c.userId)).not.toContain('late-joiner');
  });

  it('answers a repeated request from the memo without asking the database, until invalidated', async () => {
    const counting = countingDatabase(t.scratch.db);
    const service = new CandidatesService(new CandidatesRepository(counting.db));
    const caller = { subject: 'viewer', role: 'member' as const };
    const first = await service.candidatesFor(caller, 20);
    const afterFirst = counting.queries;
    expect(afterFirst).toBeGreaterThan(0);
    expect(await service.candidatesFor(caller, 20)).toEqual(first);
    expect(counting.queries).toBe(afterFirst);
    service.invalidateCandidates('viewer');
    expect(await service.candidatesFor(caller, 20)).toEqual(first);
    expect(counting.queries).toBeGreaterThan(afterFirst);
  });

  it('drops the memo when the viewer saves their profile', async () => {
    const token = await t.token('member', 'profile-saver');
    const attributes = {
      location: { ...BERLIN, place: 'Berlin' },
      birthday: '1991-03-03',
      hobbies: ['sailing'],
      communities: [],
      connectors: {},
      gender: 'woman',
      seeking: ['man'],
    };
    const save = (hobbies: string[]) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v2/users/me/attributes',
        headers: bearer(token),
        payload: { ...attributes, hobbies },
      });
    expect((await save(['sailing'])).statusCode).toBe(201);
    // Without a taste vector yet the viewer is served generically: proximity finds everyone nearby, so
    // what changes is whether the community source finds 'both-sources'.
    const communityFound = (body: Candidate[]) =>
      body.filter((c) => c.sources.includes('community')).map((c) => c.userId);
    const before = await candidates('?k=50', token);
    expect(communityFound(before.body)).not.toContain('both-sources');
    // Now sharing a hobby with members nearby: the next request must see it, not a 30 s old memo.
    expect((await save(['film noir'])).statusCode).toBe(200);
    expect(communityFound((await candidates('?k=50', token)).body)).toContain('both-sources');
  });

  it('recomputes a memoized list once 30 s have passed (injected clock)', async () => {
    const clock = { now: Date.now() };
    const service = new CandidatesService(new CandidatesRepository(t.scratch.db), { now: () => clock.now });
    const caller = { subject: 'cold-viewer', role: 'member' as const };
    const before = (await service.candidatesFor(caller, 50)).map((c) => c.userId);
    await addMember(t.scratch.db, 'newcomer', { communities: ['x'], hobbies: ['climbing'] });
    clock.now += 29_000;
    expect((await service.candidatesFor(caller, 50)).map((c) => c.userId)).toEqual(before);
    clock.now += 1_000;
    expect((await service.candidatesFor(caller, 50)).map((c) => c.userId)).toContain('newcomer');
  });
});

describe.each(databaseKinds)('GET /api/v2/discovery/candidates in a crowd [%s]', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind);
    const db = t.scratch.db;
    await addMember(db, 'crowd-viewer', { gender: 'woman', seeking: ['man'], similarity: 1 });
    // The 300 members nearest the viewer's taste are all women seeking women: the viewer may see none.
    for (let i = 0; i < 300; i++) {
      await addMember(db, `near-excluded-${i}`, { gender: 'woman', seeking: ['woman'], similarity: 0.99 - i * 0.001 });
    }
    // Further away in taste, 120 eligible men; no shared hobbies, so only the taste source finds them.
    for (let i = 0; i < 120; i++) {
      await addMember(db, `eligible-${i}`, { similarity: 0.6 - i * 0.001 });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds eligible members beyond an excluded neighbourhood, and more than the default ef_search (40) of them', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `${PATH}?k=100`,
      headers: bearer(await t.token('member', 'crowd-viewer')),
    });
    expect(response.statusCode).toBe(200);
    const found = response.json<Candidate[]>();
    expect(found).toHaveLength(100);
    expect(found.every((candidate) => candidate.userId.startsWith('eligible-'))).toBe(true);
    // Best first: the 100 most similar eligible members, in order.
    expect(found.map((candidate) => candidate.userId)).toEqual(Array.from({ length: 100 }, (_, i) => `eligible-${i}`));
  });
});
