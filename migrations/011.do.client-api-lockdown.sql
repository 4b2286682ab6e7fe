-- Client-API lock-down (issue 11). Runs on PostgreSQL 15 and PGlite; roles that do not exist there
-- (Supabase's anon, authenticated, service_role) are simply skipped. See docs/production.md.
--
-- 1. The member a row-level policy acts for came first from `sde.member_id`, a setting any SQL session
--    may set for itself, so a member could read and write another member's scroll_events. It now comes
--    only from the claims PostgREST (Supabase's Data API) sets per transaction after verifying the JWT:
--    `request.jwt.claims` ->> 'sub', or `request.jwt.claim.sub` from PostgREST before v9. Both are still
--    plain settings: they are trustworthy only because members reach SQL through PostgREST alone, never
--    through a raw SQL login of their own.
-- 2. Supabase's default privileges (`GRANT ALL ON TABLES/SEQUENCES/FUNCTIONS TO anon, authenticated,
--    service_role` in schema public) handed its Data API every engine table: locations, birthdays,
--    swipes, reports, connector tokens. sde_lock_down_client_access() revokes whatever those roles (and
--    PUBLIC) hold on the engine's schema and enables row-level security on every table, and the migration
--    runner (server/db/migrations.ts) calls it after every migrate, in the migration's transaction, so a
--    table added by a later migration is never committed with a client grant. Revoking was chosen over
--    moving the engine to its own schema: every query names its tables unqualified, and a revoke that is
--    re-asserted on each migrate also undoes a grant that slips back later (dashboard, re-run scripts).

CREATE OR REPLACE FUNCTION sde_current_member() RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(
      nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub', ''),
      nullif(current_setting('request.jwt.claim.sub', true), '')
    )
  $$;

-- The lock-down revokes PUBLIC's default EXECUTE on the engine's functions; the policy on scroll_events
-- runs this one as the querying role.
GRANT EXECUTE ON FUNCTION sde_current_member() TO sde_member;

-- Covers the schema the engine migrates into (current_schema()), objects the calling role owns (it
-- cannot alter others, and must not fail start-up over them), and skips extension members (pgvector's
-- and pg_trgm's functions keep their own privileges). Cheap when nothing changed: it only revokes grants
-- that exist and only enables RLS where it is off (ENABLE takes an ACCESS EXCLUSIVE lock).
CREATE OR REPLACE FUNCTION sde_lock_down_client_access() RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  -- Roles a client API switches to. service_role is included: the engine never uses the Data API, so a
  -- leaked service key must not read members' data either; the engine and operators connect directly.
  client_roles text[] := ARRAY['anon', 'authenticated', 'service_role'];
  target record;
BEGIN
  -- Tables, views, materialized views, foreign tables and sequences; table- or column-level grants.
  FOR target IN
    SELECT DISTINCT c.oid::regclass AS relation,
           CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS object_kind,
           CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      CROSS JOIN LATERAL (
        SELECT (aclexplode(c.relacl)).grantee
        UNION
        SELECT (aclexplode(a.attacl)).grantee
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL
      ) acl
      LEFT JOIN pg_catalog.pg_roles r ON r.oid = acl.grantee
     WHERE n.nspname = current_schema()
       AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND pg_catalog.pg_has_role(c.relowner, 'MEMBER')
       AND (acl.grantee = 0 OR r.rolname = ANY (client_roles))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  LOOP
    -- Revoking on the table also revokes the role's column privileges.
    EXECUTE format('REVOKE ALL ON %s %s FROM %s', target.object_kind, target.relation, target.grantee);
  END LOOP;

  -- Functions and procedures: an unset ACL means PUBLIC may EXECUTE, so read the default in that case.
  FOR target IN
    SELECT DISTINCT p.oid::regprocedure AS routine,
           CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl
      LEFT JOIN pg_catalog.pg_roles r ON r.oid = acl.grantee
     WHERE n.nspname = current_schema()
       AND pg_catalog.pg_has_role(p.proowner, 'MEMBER')
       AND (acl.grantee = 0 OR r.rolname = ANY (client_roles))
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('REVOKE ALL ON ROUTINE %s FROM %s', target.routine, target.grantee);
  END LOOP;

  -- Defence in depth: with RLS on and no policy for a role, a grant that slips back shows and changes no
  -- rows. Not FORCEd, so the owning role (the engine's own connection) is unaffected.
  FOR target IN
    SELECT c.oid::regclass AS relation
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema()
       AND c.relkind IN ('r', 'p')
       AND NOT c.relrowsecurity
       AND pg_catalog.pg_has_role(c.relowner, 'MEMBER')
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target.relation);
  END LOOP;
END
$$;

SELECT sde_lock_down_client_access();
