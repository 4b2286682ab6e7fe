-- The realtime user_behavior channel (GET /api/v2/realtime/user-behavior, docs/realtime.md): a short log
-- of swipes and matches that streams replay from (Last-Event-ID) and every replica hears of (NOTIFY).
-- Written by triggers, not by the engine's code, so every writer of a swipe — the feedback route on any
-- replica, the demo loader, a script — is covered, and an event exists exactly when its swipe committed.
CREATE TABLE behavior_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('like', 'superlike', 'pass', 'block', 'report', 'match')),
  -- For a match: the member whose like completed it; target_id is the member it matched with.
  actor_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  target_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  swipe_id bigint NOT NULL REFERENCES swipes (id) ON DELETE CASCADE,
  slate_id uuid,
  -- The swipe's (or match's) own time: a backdated import falls out of the retention window at once.
  created_at timestamptz NOT NULL
);
CREATE INDEX behavior_events_created ON behavior_events (created_at);
CREATE INDEX behavior_events_actor ON behavior_events (actor_id, id);
CREATE INDEX behavior_events_target ON behavior_events (target_id, id);
CREATE INDEX behavior_events_swipe ON behavior_events (swipe_id);

-- The highest id the retention prune deleted: a stream resuming from an id at or below it has missed
-- events (they are gone), and is told so rather than silently skipping them. One row.
CREATE TABLE behavior_events_horizon (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  pruned_through bigint NOT NULL DEFAULT 0
);
INSERT INTO behavior_events_horizon DEFAULT VALUES;

-- Logs one event and tells every replica's listener (the payload is the id; listeners read the row).
-- The transaction-scoped advisory lock makes ids commit in order: identity values are taken at insert
-- time, so without it a transaction holding id 10 could commit after one holding id 11, and a client that
-- saw 11 and resumed "after 11" would never get 10. Held from here to commit, it serialises only the
-- short tail of swipe transactions. SECURITY DEFINER: a swipe written through a member's own connection
-- still logs its event (member roles cannot write this table); the search path is pinned.
CREATE FUNCTION sde_log_behavior_event(event_kind text, actor text, target text, swipe bigint, slate uuid,
                                       at timestamptz)
  RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
DECLARE
  event_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('sde_behavior_events', 0));
  INSERT INTO behavior_events (kind, actor_id, target_id, swipe_id, slate_id, created_at)
  VALUES (event_kind, actor, target, swipe, slate, at)
  RETURNING id INTO event_id;
  PERFORM pg_notify('sde_user_behavior', event_id::text);
END
$$;

CREATE FUNCTION sde_swipe_behavior_event() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
BEGIN
  PERFORM sde_log_behavior_event(NEW.action, NEW.viewer_id, NEW.target_id, NEW.id, NEW.slate_id, NEW.created_at);
  RETURN NULL;
END
$$;

-- A match is stored after its swipe, in the same transaction (server/feedback/feedback.repository.ts).
CREATE FUNCTION sde_match_behavior_event() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path FROM CURRENT
  AS $$
BEGIN
  PERFORM sde_log_behavior_event('match', NEW.viewer_id, NEW.target_id, NEW.swipe_id,
                                 (SELECT slate_id FROM swipes WHERE id = NEW.swipe_id), NEW.matched_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER swipes_behavior_event
  AFTER INSERT ON swipes
  FOR EACH ROW EXECUTE FUNCTION sde_swipe_behavior_event();

CREATE TRIGGER swipe_matches_behavior_event
  AFTER INSERT ON swipe_matches
  FOR EACH ROW EXECUTE FUNCTION sde_match_behavior_event();
