// Row-level security on scroll_events: a member's connection reads and writes only its own rows.
// The member comes only from the claims PostgREST/Supabase set per transaction after verifying the JWT
// (`request.jwt.claims`, or the older `request.jwt.claim.sub`), never from `sde.member_id` (issue 11).
// On Postgres this connects as a real non-superuser login role; PGlite has one superuser session,
// so there the same policy is checked through SET ROLE.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations.js';
import type { Queryable } from '../../server/db/database.js';
import { databaseKinds, openScratchDatabase, type ScratchDatabase } from '../support/databases.js';

/** Runs `work` in one transaction of a connection whose role is bound by the policy, with these settings. */
type Session = <T>(settings: Record<string, string>, work: (q: Queryable) => Promise<T>) => Promise<T>;

/** The transaction-local setting PostgREST makes for a verified JWT; '' sets none. */
function claimsOf(memberId: string): Record<string, string> {
  return memberId ? { 'request.jwt.claims': JSON.stringify({ sub: memberId, role: 'authenticated' }) } : {};
}

async function applySettings(q: Queryable, settings: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(settings)) {
    await q.query('SELECT set_config($1, $2, true)', [name, value]);
  }
}

describe.each(databaseKinds)('scroll_events row-level security [%s]', (kind) => {
  let scratch: ScratchDatabase;
  let asSession: Session;
  const asMember = <T>(memberId: string, work: (q: Queryable) => Promise<T>): Promise<T> =>
    asSession(claimsOf(memberId), work);
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    scratch = await openScratchDatabase(kind);
    await migrate(scratch.db);
    await scratch.db.query(
      `INSERT INTO members (id) VALUES ('alice'), ('bob'), ('carol');
       INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES
         ('alice', 'carol', 'dwell', 1200), ('bob', 'carol', 'dwell', 800), ('bob', 'alice', 'scroll_pause', 300);`,
    );
    if (kind === 'postgres') {
      const login = `sde_member_login_${randomBytes(4).toString('hex')}`;
      await scratch.db.query(`CREATE ROLE ${login} LOGIN PASSWORD 'pw' NOSUPERUSER NOBYPASSRLS IN ROLE sde_member`);
      const url = new URL(scratch.url!);
      url.username = login;
      url.password = 'pw';
      const memberPool = new pg.Pool({ connectionString: url.toString(), max: 2 });
      const check = await memberPool.query<{ rolsuper: boolean }>(
        'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
      );
      expect(check.rows[0]?.rolsuper).toBe(false);
      asSession = async (settings, work) => {
        const client = await memberPool.connect();
        try {
          await client.query('BEGIN');
          const q: Queryable = {
            query: async (sql, params) => {
              const r = await client.query(sql, params as unknown[]);
              return { rows: r.rows, rowCount: r.rowCount ?? 0 };
            },
          };
          await applySettings(q, settings);
          const result = await work(q);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      };
      cleanup = async () => {
        await memberPool.end();
        await scratch.db.query(`DROP OWNED BY ${login}; DROP ROLE ${login}`);
      };
    } else {
      asSession = (settings, work) =>
        scratch.db.transaction(async (tx) => {
          await applySettings(tx, settings);
          await tx.query('SET LOCAL ROLE sde_member');
          return work(tx);
        });
    }
  });
  afterAll(async () => {
    await cleanup();
    await scratch?.dispose();
  });

  it('shows a member only their own rows', async () => {
    const rows = await asMember(
      'bob',
      async (q) => (await q.query(`SELECT user_id, target_id FROM scroll_events ORDER BY id`)).rows,
    );
    expect(rows).toEqual([
      { user_id: 'bob', target_id: 'carol' },
      { user_id: 'bob', target_id: 'alice' },
    ]);
  });

  it('lets a member write their own rows and refuses rows for anyone else', async () => {
    await asMember('alice', (q) =>
      q.query(`INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('alice', 'bob', 'dwell', 4000)`),
    );
    await expect(
      asMember('alice', (q) =>
        q.query(`INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('bob', 'carol', 'dwell', 1)`),
      ),
    ).rejects.toThrow(/row-level security/);
    const own = await scratch.db.query(`SELECT 1 FROM scroll_events WHERE user_id = 'alice'`);
    expect(own.rows).toHaveLength(2);
  });

  it('cannot change or delete another member’s rows, nor move its own to someone else', async () => {
    const updated = await asMember('alice', (q) =>
      q.query(`UPDATE scroll_events SET dwell_ms = 1 WHERE user_id = 'bob'`),
    );
    const deleted = await asMember('alice', (q) => q.query(`DELETE FROM scroll_events WHERE user_id = 'bob'`));
    expect(updated.rowCount).toBe(0);
    expect(deleted.rowCount).toBe(0);
    await expect(
      asMember('alice', (q) => q.query(`UPDATE scroll_events SET user_id = 'bob' WHERE user_id = 'alice'`)),
    ).rejects.toThrow(/row-level security/);
    const bobs = await scratch.db.query<{ dwell_ms: number }>(
      `SELECT dwell_ms FROM scroll_events WHERE user_id = 'bob' ORDER BY id`,
    );
    expect(bobs.rows.map((r) => r.dwell_ms)).toEqual([800, 300]);
  });

  it('sees nothing at all without a member id', async () => {
    const rows = await asMember('', async (q) => (await q.query(`SELECT * FROM scroll_events`)).rows);
    expect(rows).toEqual([]);
  });

  it('why: setting sde.member_id to another member no longer grants access to their scroll_events', async () => {
    const withBobsId = { 'sde.member_id': 'bob' };
    const seenWithoutClaims = await asSession(
      withBobsId,
      async (q) => (await q.query(`SELECT * FROM scroll_events`)).rows,
    );
    expect(seenWithoutClaims).toEqual([]);
    const seenAsAlice = await asSession(
      { ...claimsOf('alice'), ...withBobsId },
      async (q) => (await q.query<{ user_id: string }>(`SELECT user_id FROM scroll_events`)).rows,
    );
    expect(new Set(seenAsAlice.map((r) => r.user_id))).toEqual(new Set(['alice']));
    await expect(
      asSession(withBobsId, (q) =>
        q.query(`INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('bob', 'carol', 'dwell', 5)`),
      ),
    ).rejects.toThrow(/row-level security/);
    const deleted = await asSession(withBobsId, (q) => q.query(`DELETE FROM scroll_events WHERE user_id = 'bob'`));
    expect(deleted.rowCount).toBe(0);
  });

  it('takes the member from the older request.jwt.claim.sub setting too', async () => {
    const rows = await asSession(
      { 'request.jwt.claim.sub': 'bob' },
      async (q) => (await q.query<{ user_id: string }>(`SELECT user_id FROM scroll_events`)).rows,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set(['bob']));
  });
});
