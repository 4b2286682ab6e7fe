-- Privacy settings members can change (GET/PATCH /api/v2/discovery/privacy, docs/privacy.md).
-- 1. When each group was last switched: shown to the member, and the start of the behavioural grace
--    period (SDE_BEHAVIOURAL_GRACE_DAYS) after which a member's stored scroll events are deleted.
ALTER TABLE members
  ADD COLUMN share_interests_changed_at timestamptz,
  ADD COLUMN share_behavioural_changed_at timestamptz,
  ADD COLUMN share_connectors_changed_at timestamptz,
  ADD COLUMN share_favorites_changed_at timestamptz;

-- The daily purge looks up only members who opted out of behavioural data.
CREATE INDEX members_behavioural_opted_out ON members (share_behavioural_changed_at) WHERE NOT share_behavioural;

-- 2. A member who turned behavioural data off gets no new scroll or dwell events, whichever path writes
--    them (the engine, a member's own connection through PostgREST, a script): the row is skipped here,
--    in the database, rather than in each writer. SECURITY DEFINER because member connections (sde_member)
--    cannot read `members`; the search path is pinned to the one the migration ran with.
CREATE FUNCTION sde_skip_unshared_behaviour() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM members WHERE id = NEW.user_id AND NOT share_behavioural) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER scroll_events_behavioural_consent
  BEFORE INSERT ON scroll_events
  FOR EACH ROW EXECUTE FUNCTION sde_skip_unshared_behaviour();
