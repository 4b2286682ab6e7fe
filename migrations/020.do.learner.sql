-- The online learner (docs/learning.md): every decision it takes (trained, shadowed, promoted, refused,
-- rolled back, paused, resumed, skipped) with the figures it was made on, and its one-row state.
-- model_id and live_model_id keep the id as text without a foreign key: a decision is an audit record and
-- must outlive the deletion of the model it was about (the id then names a version no longer stored).
CREATE TABLE learner_decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (
    kind IN ('trained', 'shadowed', 'promoted', 'refused', 'rolled_back', 'paused', 'resumed', 'skipped')
  ),
  model_id text,
  live_model_id text,
  reason text NOT NULL,
  figures jsonb NOT NULL DEFAULT '{}'::jsonb,
  actor text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- On a `promoted` row: when the rollback watch reached its verdict (rolled back or held), so each
  -- promotion is tested once rather than re-tested every cycle until it happens to look worse.
  judged_at timestamptz
);
-- The rollback watch looks up the learner's latest promotion of a model.
CREATE INDEX learner_decisions_model ON learner_decisions (model_id, kind, id DESC);

-- Exactly one row (id is always true). run_lease / run_started_at are the lease of the cycle in progress,
-- so two replicas (or the schedule and POST /run) never run a cycle at the same time; a lease older than
-- the job's expiry belongs to a crashed cycle and may be taken over (its holder then cannot release it).
CREATE TABLE learner_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  paused boolean NOT NULL DEFAULT false,
  changed_by text,
  changed_at timestamptz,
  run_lease text,
  run_started_at timestamptz
);
INSERT INTO learner_state (id) VALUES (true);
