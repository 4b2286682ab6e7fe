-- Erasure (issue 12, docs/erasure.md): DELETE /api/v2/users/me and the admin erasure route remove a
-- member and every row that names them. Two tables keep what may be kept, and neither holds the
-- member's id:
--
-- 1. erasure_receipts: proof that an erasure happened. `subject_hash` is an HMAC-SHA256 of the member
--    id under a key derived from SDE_SECRETS_KEY, so an operator who is asked "was X erased?" can
--    recompute it, while the table alone names nobody.
CREATE TABLE erasure_receipts (
  id uuid PRIMARY KEY,
  subject_hash text NOT NULL CHECK (length(subject_hash) = 64),
  requested_by text NOT NULL CHECK (requested_by IN ('member', 'admin')),
  -- The admin who filed the request (null when the member erased themselves).
  admin_id text CHECK (length(admin_id) <= 128),
  reason text CHECK (length(reason) <= 500),
  erased_at timestamptz NOT NULL DEFAULT now(),
  removed jsonb NOT NULL CHECK (jsonb_typeof(removed) = 'object'),
  storage_objects integer NOT NULL CHECK (storage_objects >= 0),
  retained jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(retained) = 'array')
);
CREATE INDEX erasure_receipts_subject ON erasure_receipts (subject_hash);

-- 2. erased_review_flags: review-queue items about an erased member, kept for reviewers (how many
--    reports, what was decided, when) under a random pseudonym that is stable within one erasure and
--    linked to nothing else. Notes and the other member of the flag are not copied.
CREATE TABLE erased_review_flags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flag_id bigint NOT NULL,
  pseudonym text NOT NULL CHECK (pseudonym LIKE 'erased:%'),
  -- The erased member's place in the flag: the member whose slate (or who, for a member report) it
  -- was about, or the flagged candidate.
  member_role text NOT NULL CHECK (member_role IN ('viewer', 'candidate')),
  source text NOT NULL,
  status text NOT NULL,
  outcome text,
  report_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- [{ action, outcome, at }] of the flag's events, without actors or notes.
  history jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(history) = 'array'),
  erased_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX erased_review_flags_pseudonym ON erased_review_flags (pseudonym);

-- An erasure deletes by candidate and by viewer; without these, both (and the ON DELETE CASCADE check
-- of members) read the whole table.
CREATE INDEX slate_impressions_candidate ON slate_impressions (candidate_id);
CREATE INDEX experiment_exposures_viewer ON experiment_exposures (viewer_id);
