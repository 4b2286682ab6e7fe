-- Feedback (issue 6): which swipes made a match, and the per-member rate-limit windows every replica
-- shares (the counter lives here, not in process memory, so the limit holds across replicas).

-- One row per like/superlike that answered the target's like/superlike of the viewer. Kept per swipe
-- (not per pair) so an idempotent replay can return exactly what the original request answered.
CREATE TABLE swipe_matches (
  swipe_id bigint PRIMARY KEY REFERENCES swipes (id) ON DELETE CASCADE,
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  target_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  matched_at timestamptz NOT NULL
);
CREATE INDEX swipe_matches_viewer ON swipe_matches (viewer_id);
CREATE INDEX swipe_matches_target ON swipe_matches (target_id);

-- Fixed one-minute windows: one upsert per request counts it. No foreign key: callers without a
-- profile are counted too.
CREATE TABLE feedback_rate_windows (
  member_id text NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL CHECK (count > 0),
  PRIMARY KEY (member_id, window_start)
);
CREATE INDEX feedback_rate_windows_start ON feedback_rate_windows (window_start);
