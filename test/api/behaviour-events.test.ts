// POST /api/v2/events on each database: events about cards of a served slate are stored against the
// member the slate showed there (never one the client names), once per client event id; a batch with one
// bad event (another member's slate, a position not served, a timestamp outside the skew) stores nothing;
// behavioural opt-outs skip, deleted members are refused; only the member (or a writable preview) may post;
// the write really runs as sde_member under the row-level policy; and the events reach user_dwell_avg.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BehaviourEventsResult } from '../../shared/schemas/behaviour-events.js';
import type { SlateResponse } from '../../shared/schemas/slate.js';
import { databaseKinds } from '../support/databases.js';
import { seedSlatePopulation, type SlatePopulation } from '../support/slate-population.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

const EVENTS = '/api/v2/events';
const MINUTE = 60_000;

interface StoredEvent {
  user_id: string;
  target_id: string;
  kind: string;
  dwell_ms: number;
  position: number;
  client_event_id: string;
}

describe.each(databaseKinds)('POST /api/v2/events [%s]', (kind) => {
  let t: TestApp;
  let population: SlatePopulation;
  /** The slate served to the viewer in beforeAll: its id and who sits at each 1-based position. */
  let slate: SlateResponse;

  async function serveSlate(viewer: string): Promise<SlateResponse> {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v2/discovery/slate?limit=6',
      headers: bearer(await t.token('member', viewer)),
    });
    expect(response.statusCode).toBe(200);
    return response.json<SlateResponse>();
  }

  /** A valid event about position `position` of the viewer's slate, one second ago. */
  function event(position: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      clientEventId: randomUUID(),
      type: 'dwell_time',
      slateId: slate.slateId,
      position,
      durationMs: 1500,
      occurredAt: new Date(Date.now() - 1000).toISOString(),
      ...overrides,
    };
  }

  async function post(events: unknown[], token?: string) {
    const response = await t.app.inject({
      method: 'POST',
      url: EVENTS,
      headers: bearer(token ?? (await t.token('member', population.viewerId))),
      payload: { events },
    });
    return { status: response.statusCode, body: response.json<BehaviourEventsResult & { message: string }>() };
  }

  const storedOf = async (memberId: string) =>
    (
      await t.scratch.db.query<StoredEvent>(
        `SELECT user_id, target_id, kind, dwell_ms, position, client_event_id FROM scroll_events
          WHERE user_id = $1 ORDER BY id`,
        [memberId],
      )
    ).rows;

  const targetAt = (position: number) => slate.slate.find((entry) => entry.position === position)!.userId;

  beforeAll(async () => {
    t = await startTestApp(kind);
    population = await seedSlatePopulation(t.scratch.db, 12);
    slate = await serveSlate(population.viewerId);
    expect(slate.slate.length).toBe(6);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores each event against the member the slate showed at that position, as the slate numbers it', async () => {
    const before = (await storedOf(population.viewerId)).length;
    const pause = event(1, { type: 'scroll_pause', durationMs: 1000 });
    const dwell = event(3, { durationMs: 4200 });
    const { status, body } = await post([pause, dwell]);
    expect(status).toBe(200);
    expect(body).toEqual({ received: 2, stored: 2, duplicates: 0, skipped: 0, reason: null });
    const rows = (await storedOf(population.viewerId)).slice(before);
    expect(rows).toEqual([
      {
        user_id: population.viewerId,
        target_id: targetAt(1),
        kind: 'scroll_pause',
        dwell_ms: 1000,
        position: 0,
        client_event_id: pause.clientEventId,
      },
      {
        user_id: population.viewerId,
        target_id: targetAt(3),
        kind: 'dwell',
        dwell_ms: 4200,
        position: 2,
        client_event_id: dwell.clientEventId,
      },
    ]);
  });

  it('is idempotent: a retried batch stores nothing twice and says how many were duplicates', async () => {
    const first = [event(2), event(4, { type: 'scroll_pause' })];
    expect((await post(first)).body).toMatchObject({ stored: 2, duplicates: 0 });
    const count = (await storedOf(population.viewerId)).length;
    expect((await post(first)).body).toEqual({ received: 2, stored: 0, duplicates: 2, skipped: 0, reason: null });
    expect((await post([first[0], event(5)])).body).toMatchObject({ stored: 1, duplicates: 1 });
    expect(await storedOf(population.viewerId)).toHaveLength(count + 1);
  });

  it.each([
    [
      'a slate never served',
      () => [event(1), event(2, { slateId: randomUUID() })],
      422,
      /^body\.events\[1\]\.slateId: slate/,
    ],
    [
      'a position the slate did not show',
      () => [event(1), event(7)],
      422,
      /^body\.events\[1\]\.position: slate .* has no position 7 \(it showed positions 1 to 6\)/,
    ],
    [
      'an occurredAt beyond the allowed future skew',
      () => [event(1, { occurredAt: new Date(Date.now() + 6 * MINUTE).toISOString() })],
      400,
      /^body\.events\[0\]\.occurredAt: is more than 300s in the future/,
    ],
    [
      'an occurredAt older than the maximum age',
      () => [event(2), event(1, { occurredAt: new Date(Date.now() - 25 * 60 * MINUTE).toISOString() })],
      400,
      /^body\.events\[1\]\.occurredAt: is more than 86400s old/,
    ],
    [
      'an occurredAt before the slate was served',
      () => [event(1, { occurredAt: new Date(Date.now() - 10 * MINUTE).toISOString() })],
      400,
      /^body\.events\[0\]\.occurredAt: is before slate/,
    ],
    [
      'a leap-second occurredAt',
      () => [event(1, { occurredAt: '2016-12-31T23:59:60Z' })],
      400,
      /^body\.events\[0\]\.occurredAt: is not a time this server can read/,
    ],
    [
      'a urn:uuid: slateId',
      () => [event(1, { slateId: `urn:uuid:${slate.slateId}` })],
      400,
      /^body\.events\[0\]\.slateId/,
    ],
    [
      'a clientEventId twice in one batch',
      () => [event(1, { clientEventId: 'same' }), event(2, { clientEventId: 'same' })],
      400,
      /^body\.events\[1\]\.clientEventId: repeats events\[0\]/,
    ],
    ['an unknown type', () => [event(1, { type: 'hover' })], 400, /^body\.events\[0\]\.type/],
    ['a duration over an hour', () => [event(1, { durationMs: 3_600_001 })], 400, /^body\.events\[0\]\.durationMs/],
    ['position 0 (positions start at 1)', () => [event(0)], 400, /^body\.events\[0\]\.position/],
    ['more than 100 events', () => Array.from({ length: 101 }, () => event(1)), 400, /^body\.events /],
    ['no events', () => [], 400, /^body\.events /],
  ] as const)(
    'rejects the whole batch for %s, naming the field, storing nothing',
    async (_name, events, status, message) => {
      const before = await storedOf(population.viewerId);
      const response = await post(events());
      expect(response.status).toBe(status);
      expect(response.body.message).toMatch(message);
      expect(await storedOf(population.viewerId)).toEqual(before);
    },
  );

  it('refuses events about a slate served to another member (422), storing nothing', async () => {
    const theirs = await serveSlate(population.otherViewerId);
    const { status, body } = await post([event(1, { slateId: theirs.slateId })]);
    expect(status).toBe(422);
    expect(body.message).toMatch(/^body\.events\[0\]\.slateId: slate ".*" was not served to you/);
    const other = await post([event(1, { slateId: slate.slateId })], await t.token('member', population.otherViewerId));
    expect(other.status).toBe(422);
    expect(await storedOf(population.otherViewerId)).toEqual([]);
  });

  it('skips (200, with the reason) the events of a member who does not share behavioural data', async () => {
    const member = 'events-private';
    const token = await t.token('member', member);
    await t.scratch.db.query(
      `INSERT INTO members (id, gender, seeking, birthday, lat, lon, hobbies, last_active_at)
       VALUES ($1, 'woman', ARRAY['man'], '1991-01-01', 52.52, 13.4, ARRAY['climbing'], now())`,
      [member],
    );
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v2/discovery/privacy',
      headers: bearer(token),
      payload: { behavioural: false },
    });
    expect(patched.statusCode).toBe(200);
    const theirs = await serveSlate(member);
    const { status, body } = await post(
      [event(1, { slateId: theirs.slateId }), event(2, { slateId: theirs.slateId })],
      token,
    );
    expect(status).toBe(200);
    expect(body).toEqual({ received: 2, stored: 0, duplicates: 0, skipped: 2, reason: 'behavioural_sharing_off' });
    expect(await storedOf(member)).toEqual([]);
  });

  it('refuses a deleted member (410)', async () => {
    const member = 'events-deleted';
    const slateId = randomUUID();
    await t.scratch.db.query('INSERT INTO members (id, deleted_at) VALUES ($1, now())', [member]);
    await t.scratch.db.query(
      `INSERT INTO slate_impressions (slate_id, position, viewer_id, candidate_id, served_at)
       VALUES ($1::uuid, 0, $2, $3, now() - interval '1 minute')`,
      [slateId, member, targetAt(1)],
    );
    const { status, body } = await post([event(1, { slateId })], await t.token('member', member));
    expect(status).toBe(410);
    expect(body.message).toMatch(/deleted/);
    expect(await storedOf(member)).toEqual([]);
  });

  describe('who may post', () => {
    const mintPreview = async (write: boolean) => {
      const minted = await t.app.inject({
        method: 'POST',
        url: '/api/v2/admin/preview-tokens',
        headers: bearer(await t.token('admin', 'admin-1')),
        payload: { memberId: population.viewerId, write },
      });
      expect(minted.statusCode).toBe(200);
      return minted.json<{ token: string }>().token;
    };

    it('staff cannot post events (403), not even naming a member', async () => {
      const before = await storedOf(population.viewerId);
      for (const role of ['reviewer', 'ml_engineer', 'admin'] as const) {
        expect((await post([event(1)], await t.token(role, population.viewerId))).status).toBe(403);
      }
      expect(await storedOf(population.viewerId)).toEqual(before);
    });

    it('a read-only member preview cannot post (403); a writable one posts as the member', async () => {
      const before = await storedOf(population.viewerId);
      const readOnly = await post([event(1)], await mintPreview(false));
      expect(readOnly.status).toBe(403);
      expect(readOnly.body.message).toMatch(/preview tokens are read-only/);
      expect(await storedOf(population.viewerId)).toEqual(before);

      const written = await post([event(2)], await mintPreview(true));
      expect(written.status).toBe(200);
      expect(written.body.stored).toBe(1);
      expect(await storedOf(population.viewerId)).toHaveLength(before.length + 1);
    });
  });

  describe('row-level security guards the write', () => {
    it('writes as sde_member: a trigger sees current_user = sde_member', async () => {
      await t.scratch.db.query(`
        CREATE FUNCTION test_tag_writer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.client_event_id := NEW.client_event_id || '@' || current_user; RETURN NEW; END $$;
        CREATE TRIGGER test_tag_writer BEFORE INSERT ON scroll_events FOR EACH ROW EXECUTE FUNCTION test_tag_writer();`);
      try {
        const tagged = event(2);
        expect((await post([tagged])).body.stored).toBe(1);
        const rows = await storedOf(population.viewerId);
        expect(rows.at(-1)?.client_event_id).toBe(`${String(tagged.clientEventId)}@sde_member`);
      } finally {
        await t.scratch.db.query('DROP TRIGGER test_tag_writer ON scroll_events; DROP FUNCTION test_tag_writer()');
      }
    });

    it('a policy refusing sde_member’s rows makes the API store nothing, while the engine’s own insert passes', async () => {
      await t.scratch.db.query(
        `CREATE POLICY test_refuse_members ON scroll_events AS RESTRICTIVE FOR INSERT TO sde_member WITH CHECK (false)`,
      );
      try {
        const before = await storedOf(population.viewerId);
        const refused = await post([event(1)]);
        expect(refused.status).toBe(500);
        expect(await storedOf(population.viewerId)).toEqual(before);
        // The same row written as the owning role is not subject to the policy at all.
        await t.scratch.db.query(
          `INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ($1, $2, 'dwell', 1)`,
          [population.viewerId, targetAt(1)],
        );
        expect(await storedOf(population.viewerId)).toHaveLength(before.length + 1);
      } finally {
        await t.scratch.db.query('DROP POLICY test_refuse_members ON scroll_events');
      }
    });

    it('claims for another member are refused by the policy itself', async () => {
      await expect(
        t.scratch.db.asMember('someone-else', (tx) =>
          tx.query(`INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ($1, $2, 'dwell', 1)`, [
            population.viewerId,
            targetAt(1),
          ]),
        ),
      ).rejects.toThrow(/row-level security/);
      // The session is the engine's again afterwards.
      const role = await t.scratch.db.query<{ role: string }>('SELECT current_user AS role');
      expect(role.rows[0]?.role).not.toBe('sde_member');
    });
  });

  it('feeds user_dwell_avg: a dwell posted through the API shows in the view after its refresh', async () => {
    const target = targetAt(6);
    const viewOf = async () =>
      (
        await t.scratch.db.query<{ avg_dwell_ms: number; events: number }>(
          'SELECT avg_dwell_ms, events FROM user_dwell_avg WHERE user_id = $1',
          [target],
        )
      ).rows[0];
    await t.app.engine.repositories.dwell.refresh();
    expect(await viewOf()).toBeUndefined();
    expect((await post([event(6, { durationMs: 2500 }), event(6, { durationMs: 3500 })])).body.stored).toBe(2);
    expect(await viewOf()).toBeUndefined();
    await t.app.engine.repositories.dwell.refresh();
    expect(await viewOf()).toEqual({ avg_dwell_ms: 3000, events: 2 });
  });
});
