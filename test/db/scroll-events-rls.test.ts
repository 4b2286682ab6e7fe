// Row-level security on scroll_events: a member's connection reads and writes only its own rows.
// The member comes only from the claims PostgREST/Supabase set per transaction after verifying the JWT
// (`request.jwt.claims`, or the older `request.jwt.claim.sub`), never from `sde.member_id` (issue 11).
// On Postgres this connects as a real non-superuser login role; PGlite has one superuser session,
// so there the same policy is checked through SET ROLE.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

// Migration 017 makes the engine's login role a member of sde_member, so the engine can write behaviour
// events as the member (Database.asMember). A superuser is one already; on a managed Postgres the engine's
// role is not a superuser, so its grant block is run here as such roles (PostgreSQL 15 rules: CREATEROLE
// may grant any non-superuser role).
describe.runIf(databaseKinds.includes('postgres'))('migration 017 on a non-superuser engine role [postgres]', () => {
  let scratch: ScratchDatabase;
  const roles: string[] = [];
  const grantBlock = readFileSync(new URL('../../migrations/017.do.behaviour-events.sql', import.meta.url), 'utf8');
  const doBlock = grantBlock.slice(grantBlock.indexOf('DO $$'));

  /** A new login role, not a superuser, with these options. */
  async function createRole(options: string): Promise<string> {
    const role = `sde_engine_${randomBytes(4).toString('hex')}`;
    roles.push(role);
    await scratch.db.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' NOSUPERUSER ${options}`);
    return role;
  }

  async function runAs(role: string, sql: string): Promise<void> {
    const url = new URL(scratch.url!);
    url.username = role;
    url.password = 'pw';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  const isMember = async (role: string) =>
    (await scratch.db.query<{ member: boolean }>(`SELECT pg_has_role($1, 'sde_member', 'MEMBER') AS member`, [role]))
      .rows[0]?.member;

  beforeAll(async () => {
    scratch = await openScratchDatabase('postgres');
    await migrate(scratch.db);
  });
  afterAll(async () => {
    for (const role of roles) await scratch.db.query(`DROP ROLE IF EXISTS ${role}`);
    await scratch?.dispose();
  });

  it('grants sde_member to an engine role with CREATEROLE, which can then SET ROLE sde_member', async () => {
    const role = await createRole('CREATEROLE');
    expect(await isMember(role)).toBe(false);
    await runAs(role, `${doBlock}\nSET ROLE sde_member`);
    expect(await isMember(role)).toBe(true);
    // Run again once the role has it: nothing to do, no error.
    await runAs(role, doBlock);
  });

  it('stops with the GRANT a DBA must run when the engine role may not grant it', async () => {
    const role = await createRole('NOCREATEROLE');
    await expect(runAs(role, doBlock)).rejects.toThrow(`role ${role} cannot SET ROLE sde_member`);
    expect(await isMember(role)).toBe(false);
  });
});
