-- Harassment scores written by moderation systems (and corrected by trust-and-safety reviewers)
-- through the admin API; the slate's safety stage removes candidates scored above the threshold.
-- One current score per member: a new score replaces the old one, and a member's deletion removes it.
CREATE TABLE safety_scores (
  member_id text PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  harassment_score double precision NOT NULL CHECK (harassment_score BETWEEN 0 AND 1),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
  updated_by text NOT NULL CHECK (length(updated_by) BETWEEN 1 AND 128),
  updated_at timestamptz NOT NULL DEFAULT now()
);
