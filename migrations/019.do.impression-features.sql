-- Features as the ranker saw them (docs/ranker-training.md): each impression keeps the pair-feature
-- vector the ranker scored for that candidate (privacy masks of the moment applied) and the version of
-- the feature spec it follows, so training learns from what was served rather than from features
-- recomputed later from profiles that have changed since. Columns on the impression itself rather than a
-- side table: one row written per served entry either way, no second key to join on or to erase (the
-- row goes with its impression: ON DELETE CASCADE of either member). double precision, not real: the
-- stored row is exactly the one the ranker compared with its split thresholds.
-- The retention job (SDE_FEATURE_LOG_RETENTION_DAYS) clears both columns of old impressions and keeps
-- the rows, which metrics and experiments still read.
ALTER TABLE slate_impressions
  ADD COLUMN features double precision[],
  ADD COLUMN feature_version text,
  ADD CONSTRAINT slate_impressions_features_versioned CHECK ((features IS NULL) = (feature_version IS NULL));

-- What the retention job reads, oldest first: only impressions that still carry features.
CREATE INDEX slate_impressions_features_served ON slate_impressions (served_at) WHERE features IS NOT NULL;
