// Two replicas on one database (two apps over one scratch database; on PGlite both share the one
// instance): a member change taken by replica A drops replica B's candidates memo and explanations
// cache for that member, through Postgres LISTEN/NOTIFY. Also: a change published inside a
// transaction reaches other replicas only if it commits, and the Postgres listener comes back after
// its connection is killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberChanges, type MemberChange } from '../../server/events/member-changes.js';
import { seedSampleCatalogue } from '../../server/offline/catalogue/sample-catalogue.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { hobbyRankerModel, seedFeedback, type SeededFeedback } from '../support/feedback.js';
import { bearer, startTestApp, validAttributes, type TestApp } from '../support/test-app.js';
import { registerRanker } from '../support/register-ranker.js';

/** The brief's bound: a change reaches every replica within a second. */
const PROPAGATION_BOUND_MS = 1_000;
const MADRID = { lat: 40.4168, lon: -3.7038, place: 'Madrid, Spain' };

/** Polls `check` until it returns true or `boundMs` passes; returns the last result. */
async function eventually(check: () => Promise<boolean>, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(databaseKinds)('cache invalidation across replicas [%s]', (kind) => {
  let scratch: ScratchDatabase;
  let a: TestApp;
  let b: TestApp;
  let seeded: SeededFeedback;

  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    a = await startTestApp(kind, { scratch });
    b = await startTestApp(kind, { scratch });
    seeded = await seedFeedback(scratch.db, { viewers: 2, candidates: 4, prefix: 'rep' });
    await registerRanker(b.app.engine.models, 'rep-hobby-model', hobbyRankerModel(), 'live');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await scratch?.dispose();
  });

  async function why(t: TestApp, token: string, targetId: string) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/v2/discovery/why/${encodeURIComponent(targetId)}`,
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(200);
    return response.headers['x-sde-cache'];
  }

  async function candidateIds(t: TestApp, token: string): Promise<string[]> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/candidates?k=20',
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(200);
    return response.json<Array<{ userId: string }>>().map((candidate) => candidate.userId);
  }

  it("a profile change on replica A drops replica B's cached explanations of the member within a second", async () => {
    const viewer = seeded.viewerIds[0]!;
    const token = await b.token('member', viewer);
    const target = seeded.sharingHobby[0]!;
    await why(b, token, target);
    expect(await why(b, token, target)).toBe('hit');

    const saved = await a.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await a.token('member', viewer)),
      payload: { ...validAttributes(), hobbies: ['climbing', 'salsa'] },
    });
    expect(saved.statusCode).toBeLessThan(300);

    // B answers a miss once the notice arrives; until then a hit (each poll is one more question).
    expect(await eventually(async () => (await why(b, token, target)) === 'miss', PROPAGATION_BOUND_MS)).toBe(true);
  });

  it("a favorite added or removed on replica A drops replica B's cached explanations of the member within a second", async () => {
    // Finding (issue 13): the `favorites` change reason was declared but nothing published it, so a
    // new favorite left other replicas explaining the member by their old favorites for the cache's TTL.
    await seedSampleCatalogue(scratch.db, { generated: 0 });
    const viewer = seeded.viewerIds[1]!;
    const token = await b.token('member', viewer);
    const target = seeded.sharingHobby[1]!;
    const favorites = { headers: bearer(await a.token('member', viewer)) };

    await why(b, token, target);
    expect(await why(b, token, target)).toBe('hit');
    const added = await a.app.inject({
      method: 'POST',
      url: '/api/v2/favorites',
      ...favorites,
      payload: { mediaId: 'tt0083658' },
    });
    expect(added.statusCode).toBe(201);
    expect(await eventually(async () => (await why(b, token, target)) === 'miss', PROPAGATION_BOUND_MS)).toBe(true);

    expect(await why(b, token, target)).toBe('hit');
    const removed = await a.app.inject({ method: 'DELETE', url: '/api/v2/favorites/tt0083658', ...favorites });
    expect(removed.statusCode).toBe(204);
    expect(await eventually(async () => (await why(b, token, target)) === 'miss', PROPAGATION_BOUND_MS)).toBe(true);
  });

  it("a move on replica A drops replica B's memoized candidates of the member within a second", async () => {
    // A viewer in Berlin (validAttributes) with two matching members close by, neither swiped yet.
    const viewer = 'rep-mover';
    for (const id of ['rep-berlin-0', 'rep-berlin-1']) {
      await scratch.db.query(
        `INSERT INTO members (id, display_name, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
         VALUES ($1, $1, 'man', ARRAY['woman'], '1990-01-02', 52.52, 13.4, ARRAY['climbing'], now())`,
        [id],
      );
    }
    const token = await b.token('member', viewer);
    const created = await b.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(token),
      payload: validAttributes(),
    });
    expect(created.statusCode).toBeLessThan(300);
    // B memoizes the Berlin list.
    const before = await candidateIds(b, token);
    expect(before.length).toBeGreaterThan(0);

    const moved = await a.app.inject({
      method: 'PUT',
      url: '/api/v2/users/me/attributes',
      headers: bearer(await a.token('member', viewer)),
      payload: { ...validAttributes(), gender: 'woman', seeking: ['man'], location: MADRID },
    });
    expect(moved.statusCode).toBeLessThan(300);

    // A retrieves afresh for Madrid; without the notice B would serve the Berlin list from its memo for 30 s.
    const fresh = await candidateIds(a, await a.token('member', viewer));
    expect(fresh).not.toEqual(before);
    const dropped = await eventually(
      async () => JSON.stringify(await candidateIds(b, token)) === JSON.stringify(fresh),
      PROPAGATION_BOUND_MS,
    );
    expect(dropped).toBe(true);
  });

  it('a change published inside a transaction reaches other replicas only if the transaction commits', async () => {
    const publisher = new MemberChanges({ db: scratch.db, log: { warn: () => undefined } });
    const replica = new MemberChanges({ db: scratch.db, log: { warn: () => undefined } });
    const heard: MemberChange[] = [];
    replica.subscribe((change) => heard.push(change));
    await replica.start();
    try {
      await scratch.db
        .transaction(async (tx) => {
          await publisher.publish({ memberId: 'rep-rolled-back', reason: 'privacy' }, tx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await scratch.db.transaction((tx) => publisher.publish({ memberId: 'rep-committed', reason: 'privacy' }, tx));
      // Notices arrive in commit order, so once the committed one is heard the other would have been too.
      expect(await eventually(async () => heard.length > 0, PROPAGATION_BOUND_MS)).toBe(true);
      expect(heard).toEqual([{ memberId: 'rep-committed', reason: 'privacy' }]);
    } finally {
      await replica.close();
      await publisher.close();
    }
  });

  it('a notification that is not a member change is ignored, and the replica keeps listening', async () => {
    const warnings: unknown[] = [];
    const replica = new MemberChanges({ db: scratch.db, log: { warn: (...args: unknown[]) => warnings.push(args) } });
    const heard: MemberChange[] = [];
    replica.subscribe((change) => heard.push(change));
    await replica.start();
    try {
      for (const payload of [
        'not json',
        '{"memberId":"x","reason":"nonsense"}',
        '{"memberId":42,"reason":"profile"}',
      ]) {
        await scratch.db.query('SELECT pg_notify($1, $2)', ['sde_member_changes', payload]);
      }
      await scratch.db.query('SELECT pg_notify($1, $2)', [
        'sde_member_changes',
        JSON.stringify({ memberId: 'rep-after-junk', reason: 'profile' }),
      ]);
      expect(await eventually(async () => heard.length > 0, PROPAGATION_BOUND_MS)).toBe(true);
      expect(heard).toEqual([{ memberId: 'rep-after-junk', reason: 'profile' }]);
      expect(warnings).toHaveLength(3);
    } finally {
      await replica.close();
    }
  });
});

describe.skipIf(!databaseKinds.includes('postgres'))('the Postgres listener [postgres]', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await openScratchDatabase('postgres');
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  it('listens again after its connection is terminated (pg_terminate_backend)', async () => {
    const heard: string[] = [];
    const stop = await scratch.db.listen('sde_reconnect_test', (payload) => heard.push(payload));
    const listeners = await scratch.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'sde-listen'`,
    );
    expect(listeners.rowCount).toBe(1);
    await scratch.db.query('SELECT pg_terminate_backend($1)', [listeners.rows[0]!.pid]);

    // Sent until heard: whatever is sent while the listener reconnects is lost, by design.
    let sent = 0;
    const back = await eventually(async () => {
      await scratch.db.query(`SELECT pg_notify('sde_reconnect_test', $1)`, [`after-${++sent}`]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return heard.length > 0;
    }, 10_000);
    expect(back).toBe(true);
    expect(heard[0]).toMatch(/^after-\d+$/);
    await stop();
  });
});
