-- Schema v1: the product's data model. Later migrations extend it; an applied migration is never edited
-- (`npm run db:check` fails on any drift). Everything here runs on PostgreSQL 15 and on PGlite (18),
-- and inside one transaction (no CONCURRENTLY, no top-level BEGIN/COMMIT).

CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Members and their attributes. `id` is the identity provider's subject (the JWT `sub`).
CREATE TABLE members (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
  display_name text CHECK (length(display_name) <= 80),
  gender text CHECK (gender IN ('woman', 'man', 'nonbinary')),
  seeking text[] NOT NULL DEFAULT '{}' CHECK (seeking <@ ARRAY['woman', 'man', 'nonbinary']),
  birthday date,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lon double precision CHECK (lon BETWEEN -180 AND 180),
  place text CHECK (length(place) <= 120),
  hobbies text[] NOT NULL DEFAULT '{}',
  communities text[] NOT NULL DEFAULT '{}',
  connectors jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(connectors) = 'object'),
  -- Per-feature-group privacy: false means the group is not used to embed, rank or explain.
  share_interests boolean NOT NULL DEFAULT true,
  share_behavioural boolean NOT NULL DEFAULT true,
  share_connectors boolean NOT NULL DEFAULT true,
  share_favorites boolean NOT NULL DEFAULT true,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_active_at timestamptz,
  deleted_at timestamptz,
  CHECK ((lat IS NULL) = (lon IS NULL))
);
CREATE INDEX members_hobbies_gin ON members USING gin (hobbies);
CREATE INDEX members_communities_gin ON members USING gin (communities);
CREATE INDEX members_location ON members (lat, lon) WHERE deleted_at IS NULL;

-- Feature store: one 256-d taste vector per member.
-- HNSW (cosine) is the default: best recall/latency without training data and it stays good as rows
-- are added. IVFFlat (`USING ivfflat (taste vector_cosine_ops) WITH (lists = 100)`) builds several times
-- faster and smaller, but must be built after the table holds representative data and rebuilt as it grows
-- (lists ≈ rows / 1000 up to 1M rows); pick it for bulk-loaded, rarely-changing populations where build
-- time or memory matters more than recall. See docs/vector-index.md.
CREATE TABLE user_taste_vectors (
  user_id text PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
  taste vector(256) NOT NULL,
  traits jsonb NOT NULL DEFAULT '{}'::jsonb,
  model_version text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_taste_vectors_taste_hnsw ON user_taste_vectors
  USING hnsw (taste vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- Behaviour: scroll pauses and dwell on a candidate's card, written by the viewer's own connection.
CREATE TABLE scroll_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  target_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('dwell', 'scroll_pause')),
  dwell_ms integer NOT NULL CHECK (dwell_ms BETWEEN 0 AND 3600000),
  slate_id uuid,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scroll_events_target_time ON scroll_events (target_id, occurred_at);
CREATE INDEX scroll_events_user_time ON scroll_events (user_id, occurred_at);

-- The member a connection acts for: SDE sets `sde.member_id` per transaction; Supabase's PostgREST
-- sets `request.jwt.claims`, so the same policy holds for clients that connect through it.
CREATE FUNCTION sde_current_member() RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT coalesce(
      nullif(current_setting('sde.member_id', true), ''),
      nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
    )
  $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sde_member') THEN
    CREATE ROLE sde_member NOLOGIN;
  END IF;
END
$$;

ALTER TABLE scroll_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY scroll_events_own_rows ON scroll_events
  FOR ALL TO sde_member
  USING (user_id = sde_current_member())
  WITH CHECK (user_id = sde_current_member());
GRANT SELECT, INSERT, UPDATE, DELETE ON scroll_events TO sde_member;

-- Average dwell each member's card received over the last 7 days; refreshed concurrently every
-- 5 minutes (the unique index makes CONCURRENTLY possible, so readers are never blocked).
CREATE MATERIALIZED VIEW user_dwell_avg AS
  SELECT target_id AS user_id,
         avg(dwell_ms)::double precision AS avg_dwell_ms,
         count(*)::bigint AS events,
         max(occurred_at) AS last_event_at
    FROM scroll_events
   WHERE kind = 'dwell' AND occurred_at > now() - interval '7 days'
   GROUP BY target_id;
CREATE UNIQUE INDEX user_dwell_avg_user ON user_dwell_avg (user_id);

-- Canonical media: IMDb tt… for films and TV, MusicBrainz MBIDs, Open Library work ids.
CREATE TABLE media (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 80),
  kind text NOT NULL CHECK (kind IN ('film', 'tv', 'recording', 'release_group', 'artist', 'book')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  year smallint CHECK (year BETWEEN 1000 AND 3000),
  aliases text[] NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  embedding halfvec,
  embedding_model text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((embedding IS NULL) = (embedding_model IS NULL))
);
CREATE INDEX media_title_trgm ON media USING gin (lower(title) gin_trgm_ops);
CREATE INDEX media_kind_year ON media (kind, year);

CREATE TABLE favorites (
  member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  media_id text NOT NULL REFERENCES media (id),
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'spotify', 'import')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, media_id)
);
CREATE INDEX favorites_media ON favorites (media_id);

-- Swipe feedback. A like answered by a like is a match; blocks exclude the pair both ways.
CREATE TABLE swipes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  target_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('like', 'pass', 'superlike', 'block', 'report')),
  reason text CHECK (length(reason) <= 500),
  slate_id uuid,
  idempotency_key text CHECK (length(idempotency_key) <= 128),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (viewer_id <> target_id),
  CHECK (action <> 'report' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX swipes_idempotency ON swipes (viewer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX swipes_viewer_time ON swipes (viewer_id, created_at DESC);
CREATE INDEX swipes_target_action ON swipes (target_id, action);

-- Every slate served, one row per position, so feedback joins back to what was shown and by which model.
CREATE TABLE slate_impressions (
  slate_id uuid NOT NULL,
  position smallint NOT NULL CHECK (position >= 0),
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  candidate_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  model_version text,
  arm text,
  served_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (slate_id, position)
);
CREATE INDEX slate_impressions_viewer_time ON slate_impressions (viewer_id, served_at DESC);

-- Model registry. Exactly one live model per kind, enforced here rather than in application code.
CREATE TABLE model_versions (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 80),
  kind text NOT NULL DEFAULT 'ranker',
  status text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'shadow', 'live', 'retired')),
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  feature_spec jsonb,
  training_window tstzrange,
  artifact bytea,
  artifact_format text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  status_changed_by text NOT NULL,
  status_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX model_versions_one_live ON model_versions (kind) WHERE status = 'live';

CREATE TABLE model_status_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id text NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
  from_status text,
  to_status text NOT NULL,
  changed_by text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  note text
);

-- One row per viewer per experiment: the arm they were first assigned.
CREATE TABLE experiment_exposures (
  experiment_key text NOT NULL,
  viewer_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  arm text NOT NULL,
  exposed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (experiment_key, viewer_id)
);

-- Every paid call (embeddings, LLM) with its units and cost, for budgets and alerts.
CREATE TABLE cost_ledger (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  provider text NOT NULL,
  operation text NOT NULL,
  model text,
  units bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
  unit_kind text NOT NULL DEFAULT 'tokens',
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  member_id text,
  job_id text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX cost_ledger_time ON cost_ledger (occurred_at);

-- Small engine-wide settings and markers (demo population loaded, flag definitions, …).
CREATE TABLE engine_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
