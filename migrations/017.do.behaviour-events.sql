-- Behaviour events from members' clients (POST /api/v2/events, docs/behaviour-events.md).
-- 1. Each event carries the client's own id, so a retried batch stores nothing twice (the unique index
--    is the guard: the insert says ON CONFLICT DO NOTHING), and the slate position it concerns, numbered
--    as slate_impressions numbers it (0-based). Rows written before this migration have neither.
ALTER TABLE scroll_events
  ADD COLUMN client_event_id text CHECK (length(client_event_id) BETWEEN 1 AND 128),
  ADD COLUMN position smallint CHECK (position >= 0);
CREATE UNIQUE INDEX scroll_events_client_event ON scroll_events (user_id, client_event_id);

-- 2. The engine writes these events as the member: inside its transaction it switches to sde_member and
--    sets the member's claims, so the row-level policy of migration 001 really guards each write. SET ROLE
--    needs membership of sde_member. A superuser (PGlite, a local Postgres) is a member of every role
--    already; a managed Postgres's engine role (Supabase's `postgres`, an RDS master user) created
--    sde_member in migration 001, so it may grant it to itself. Where it may not, the migration stops
--    with the statement a DBA runs once (docs/production.md).
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'sde_member', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT sde_member TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role % cannot SET ROLE sde_member, which storing behaviour events needs', current_user
        USING HINT = format('As a role with CREATEROLE or ADMIN OPTION on sde_member, run: GRANT sde_member TO %I; then migrate again.', current_user);
    END;
  END IF;
END
$$;
