-- Review queue (issue 7): reviewers flag a candidate on a member's slate, or the whole slate, with a
-- note; a flag is resolved with an outcome and may be reopened. Every change is kept as an event, so
-- the history survives later resolutions.

CREATE TABLE review_flags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The member whose slate was reviewed.
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  -- The flagged candidate; null flags the whole slate.
  candidate_id text REFERENCES members (id) ON DELETE CASCADE,
  slate_id uuid,
  note text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  outcome text CHECK (outcome IN ('no_action', 'candidate_removed', 'member_warned', 'escalated')),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_by text,
  resolved_at timestamptz,
  resolution_note text CHECK (length(resolution_note) <= 2000),
  -- A resolved flag carries who resolved it, when and how; an open one carries none of it.
  CHECK ((status = 'resolved') = (outcome IS NOT NULL AND resolved_by IS NOT NULL AND resolved_at IS NOT NULL))
);
CREATE INDEX review_flags_status_time ON review_flags (status, created_at DESC, id DESC);
CREATE INDEX review_flags_viewer ON review_flags (viewer_id);
CREATE INDEX review_flags_candidate ON review_flags (candidate_id) WHERE candidate_id IS NOT NULL;

CREATE TABLE review_flag_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flag_id bigint NOT NULL REFERENCES review_flags (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('opened', 'resolved', 'reopened')),
  actor text NOT NULL,
  outcome text CHECK (outcome IN ('no_action', 'candidate_removed', 'member_warned', 'escalated')),
  note text CHECK (length(note) <= 2000),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_flag_events_flag ON review_flag_events (flag_id, id);
