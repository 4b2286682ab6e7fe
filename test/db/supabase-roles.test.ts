// Supabase's client-API roles against the engine's schema (issue 11). Supabase gives `anon`,
// `authenticated` and `service_role` ALL on every new table in `public` through default privileges, and
// PostgREST switches to them from the `authenticator` login after verifying a JWT. These tests build
// that setup on a scratch Postgres, run the engine's migrations, and probe every relation the catalog
// lists, so a table added by a later migration is covered without touching this file.
// Postgres only: PGlite has one superuser session and none of these roles.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrations.js';
import type { Database } from '../../server/db/database.js';
import { openPostgres } from '../../server/db/pg-driver.js';
import { createScratchPostgres, TEST_DATABASE_URL } from '../support/databases.js';

const AUTHENTICATOR_PASSWORD = 'sde-test-authenticator';

/** The roles PostgREST switches to, each with the claims it would set: `authenticated` is another member. */
const clientRoles = [
  { role: 'anon', claims: { role: 'anon' } },
  { role: 'authenticated', claims: { sub: 'm2', role: 'authenticated' } },
  { role: 'service_role', claims: { role: 'service_role' } },
] as const;
type ClientRole = (typeof clientRoles)[number];

interface Relation {
  name: string;
  kind: 'table' | 'view';
  /** A column a plain UPDATE may set (not an identity or generated column). */
  column: string | null;
}

type Outcome = { refused: true } | { refused: false; rowCount: number };

/**
 * Supabase's roles, created the way its images do. Roles are cluster-wide and other test files may be
 * running: create them only when missing (tolerating a concurrent creator) and never drop them.
 */
async function ensureSupabaseRoles(admin: Database): Promise<void> {
  await admin.query(`
    DO $$
    DECLARE
      wanted text[][] := ARRAY[
        ARRAY['anon', 'NOLOGIN NOINHERIT'],
        ARRAY['authenticated', 'NOLOGIN NOINHERIT'],
        ARRAY['service_role', 'NOLOGIN NOINHERIT BYPASSRLS'],
        ARRAY['authenticator', 'LOGIN NOINHERIT']];
      i int;
    BEGIN
      FOR i IN 1 .. array_length(wanted, 1) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted[i][1]) THEN
          BEGIN
            EXECUTE format('CREATE ROLE %I %s', wanted[i][1], wanted[i][2]);
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
          END;
        END IF;
      END LOOP;
    END
    $$;`);
  await admin.query(`ALTER ROLE authenticator LOGIN NOINHERIT PASSWORD '${AUTHENTICATOR_PASSWORD}'`);
  await admin.query(`GRANT anon, authenticated, service_role TO authenticator`);
}

/** Supabase's grants on `public`, made before the engine migrates, as on a fresh Supabase project. */
async function grantLikeSupabase(admin: Database): Promise<void> {
  const { rows } = await admin.query<{ me: string }>('SELECT current_user AS me');
  const me = `"${rows[0]!.me}"`;
  await admin.query(`
    GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
    ALTER DEFAULT PRIVILEGES FOR ROLE ${me} IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;`);
}

/** Member m1's data in the personal tables, so a readable table shows rows rather than passing empty. */
async function seedAnotherMembersData(admin: Database): Promise<void> {
  await admin.query(`
    INSERT INTO members (id, display_name, birthday, lat, lon, place)
      VALUES ('m1', 'Mira', '1990-04-01', 52.52, 13.40, 'Berlin'), ('m2', 'Nils', '1991-05-02', 48.1, 11.6, 'Munich'),
             ('m3', 'Ola', '1992-06-03', 50.1, 8.7, 'Frankfurt');
    INSERT INTO scroll_events (user_id, target_id, kind, dwell_ms) VALUES ('m1', 'm3', 'dwell', 1200);
    INSERT INTO swipes (viewer_id, target_id, action, reason) VALUES ('m1', 'm3', 'report', 'rude');
    INSERT INTO media (id, kind, title) VALUES ('tt0000001', 'film', 'A Film');
    INSERT INTO favorites (member_id, media_id) VALUES ('m1', 'tt0000001');
    INSERT INTO connector_accounts (member_id, connector, refresh_token_encrypted) VALUES ('m1', 'spotify', '\\x01');
    INSERT INTO engine_settings (key, value) VALUES ('secret-ish', '{"a": 1}');`);
}

/** Every table, view and materialized view in the engine's schema, from the catalog. */
async function engineRelations(admin: Database): Promise<Relation[]> {
  const { rows } = await admin.query<{ name: string; relkind: string; column: string | null }>(`
    SELECT c.relname AS name, c.relkind::text AS relkind,
           (SELECT a.attname FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attidentity = '' AND a.attgenerated = ''
             ORDER BY a.attnum LIMIT 1) AS column
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema()
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname`);
  return rows.map((row) => ({
    name: row.name,
    kind: row.relkind === 'r' || row.relkind === 'p' ? 'table' : 'view',
    column: row.column,
  }));
}

/** The statements a client could send through the Data API; views and materialized views are only read. */
function probes(relation: Relation): Array<{ op: string; sql: string }> {
  const table = `"${relation.name}"`;
  const list = [{ op: 'SELECT', sql: `SELECT * FROM ${table}` }];
  if (relation.kind === 'view') return list;
  list.push({ op: 'INSERT', sql: `INSERT INTO ${table} DEFAULT VALUES` });
  if (relation.column)
    list.push({ op: 'UPDATE', sql: `UPDATE ${table} SET "${relation.column}" = "${relation.column}"` });
  list.push({ op: 'DELETE', sql: `DELETE FROM ${table}` });
  return list;
}

describe.skipIf(!TEST_DATABASE_URL)('Supabase client roles against the engine schema [postgres]', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let admin: Database;
  let authenticator: pg.Pool;

  /** One statement as PostgREST would run it: SET ROLE and claims local to a transaction, always rolled back. */
  async function asClient(client: ClientRole, sql: string): Promise<Outcome> {
    const connection = await authenticator.connect();
    try {
      await connection.query('BEGIN');
      await connection.query(`SET LOCAL ROLE ${client.role}`);
      await connection.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify(client.claims)]);
      const result = await connection.query(sql);
      return { refused: false, rowCount: result.rowCount ?? result.rows.length };
    } catch (error) {
      // 42501 insufficient_privilege: no grant, or a row-level security check refused the row.
      if ((error as { code?: string }).code === '42501') return { refused: true };
      throw error;
    } finally {
      await connection.query('ROLLBACK');
      connection.release();
    }
  }

  /** Every probe on every relation that was neither refused nor empty, as "role OP relation: n rows". */
  async function exposures(client: ClientRole, relations: Relation[]): Promise<string[]> {
    const found: string[] = [];
    for (const relation of relations) {
      for (const probe of probes(relation)) {
        let outcome: Outcome;
        try {
          outcome = await asClient(client, probe.sql);
        } catch (error) {
          // Past the privilege check (a constraint or type error): the role holds the privilege.
          found.push(`${client.role} ${probe.op} ${relation.name}: allowed (${(error as Error).message})`);
          continue;
        }
        if (!outcome.refused && outcome.rowCount > 0) {
          found.push(`${client.role} ${probe.op} ${relation.name}: ${outcome.rowCount} rows`);
        }
      }
    }
    return found;
  }

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    admin = openPostgres(scratch.url, { poolMax: 2 });
    await ensureSupabaseRoles(admin);
    await grantLikeSupabase(admin);
    await migrate(admin);
    await seedAnotherMembersData(admin);
    const url = new URL(scratch.url);
    url.username = 'authenticator';
    url.password = AUTHENTICATOR_PASSWORD;
    authenticator = new pg.Pool({ connectionString: url.toString(), max: 1 });
  });
  afterAll(async () => {
    await authenticator?.end();
    await admin?.close();
    await scratch?.drop();
  });

  it.each(clientRoles)(
    'why: Supabase default grants no longer let $role read or write any engine table (every table from the catalog)',
    async (client) => {
      const relations = await engineRelations(admin);
      expect(relations.map((r) => r.name)).toEqual(
        expect.arrayContaining(['members', 'scroll_events', 'swipes', 'connector_accounts', 'user_dwell_avg']),
      );
      expect(await exposures(client, relations)).toEqual([]);
    },
  );

  it('why: authenticated cannot reach scroll_events through the Data API, even claiming another member in sde.member_id', async () => {
    const connection = await authenticator.connect();
    try {
      await connection.query('BEGIN');
      await connection.query('SET LOCAL ROLE authenticated');
      await connection.query(`SELECT set_config('request.jwt.claims', '{"sub":"m2","role":"authenticated"}', true)`);
      await connection.query(`SELECT set_config('sde.member_id', 'm1', true)`);
      await expect(connection.query('SELECT * FROM scroll_events')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await connection.query('ROLLBACK');
      connection.release();
    }
  });

  it('why: a table added by a later migration is locked down too (the runner re-applies the lock-down)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sde-later-migration-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      writeFileSync(
        path.join(dir, '999.do.later-personal-table.sql'),
        `CREATE TABLE later_personal (member_id text NOT NULL, secret text NOT NULL);
         INSERT INTO later_personal VALUES ('m1', 'only m1 may know');`,
      );
      await migrate(admin, dir);
      const later = (await engineRelations(admin)).filter((r) => r.name === 'later_personal');
      expect(later).toHaveLength(1);
      for (const client of clientRoles) expect(await exposures(client, later)).toEqual([]);
    } finally {
      // Keep the real history: forget the throw-away migration and its table for the tests after this one.
      await admin.query(`DROP TABLE IF EXISTS later_personal; DELETE FROM schemaversion WHERE version = 999`);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('why: a client grant that slips back (dashboard, re-run of Supabase grants) still shows no rows, and the next migrate revokes it', async () => {
    const tables = await admin.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity`,
    );
    expect(tables.rows.map((r) => r.name)).toEqual([]);

    await admin.query('GRANT ALL ON members, connector_accounts TO authenticated');
    const authenticated = clientRoles[1];
    expect(await asClient(authenticated, 'SELECT * FROM connector_accounts')).toEqual({ refused: false, rowCount: 0 });
    expect(await asClient(authenticated, `UPDATE members SET place = 'gone'`)).toEqual({ refused: false, rowCount: 0 });

    await migrate(admin);
    expect(await asClient(authenticated, 'SELECT * FROM connector_accounts')).toEqual({ refused: true });
  });
});

if (!TEST_DATABASE_URL) {
  describe('Supabase client roles against the engine schema', () => {
    it.skip('needs TEST_DATABASE_URL (a real Postgres 15): PGlite has no anon/authenticated/authenticator roles', () => {});
  });
}
