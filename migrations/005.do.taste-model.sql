-- Taste model: each fit of the collaborative item factors (truncated SVD of the IDF-weighted member ×
-- item favorites matrix) and the factors it learned. The newest fit is the current model; vectors
-- carry its id in `user_taste_vectors.model_version`. Older fits are kept until pruned, so a vector's
-- version always names a fit that can be inspected.
CREATE TABLE taste_models (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 80),
  fitted_at timestamptz NOT NULL DEFAULT now(),
  rank integer NOT NULL CHECK (rank BETWEEN 1 AND 256),
  members integer NOT NULL CHECK (members >= 0),
  items integer NOT NULL CHECK (items >= 0),
  favorites integer NOT NULL CHECK (favorites >= 0),
  singular_values real[] NOT NULL
);
CREATE INDEX taste_models_fitted ON taste_models (fitted_at DESC);

CREATE TABLE taste_item_factors (
  model_id text NOT NULL REFERENCES taste_models (id) ON DELETE CASCADE,
  media_id text NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  idf real NOT NULL CHECK (idf >= 0),
  factor real[] NOT NULL,
  PRIMARY KEY (model_id, media_id)
);

-- The nightly builder's data-quality check: how many shareable favorites the model can place, by a
-- fitted factor or (fallback) a content embedding from the active text model. Passing needs ≥ 95 %.
CREATE TABLE taste_quality_checks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id text NOT NULL REFERENCES taste_models (id) ON DELETE CASCADE,
  embedding_model text NOT NULL,
  checked_at timestamptz NOT NULL DEFAULT now(),
  favorites integer NOT NULL CHECK (favorites >= 0),
  with_factor integer NOT NULL CHECK (with_factor >= 0),
  with_embedding_only integer NOT NULL CHECK (with_embedding_only >= 0),
  coverage real NOT NULL CHECK (coverage BETWEEN 0 AND 1),
  threshold real NOT NULL,
  passed boolean NOT NULL,
  members_rebuilt integer NOT NULL CHECK (members_rebuilt >= 0),
  media_embedded integer NOT NULL CHECK (media_embedded >= 0)
);
CREATE INDEX taste_quality_checks_recent ON taste_quality_checks (checked_at DESC, id DESC);
