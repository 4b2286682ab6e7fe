-- Metadata fetchers (TMDb, MusicBrainz, Open Library): a response cache shared by every replica, and
-- per-source, per-day hit / miss counters behind the admin hit-ratio metric.

-- One upstream response per (source, request). request_key is the request path and query without
-- credentials; status 404 entries remember "unknown upstream" for a shorter time than 200s.
CREATE TABLE metadata_cache (
  source text NOT NULL CHECK (source IN ('tmdb', 'musicbrainz', 'openlibrary')),
  request_key text NOT NULL CHECK (length(request_key) BETWEEN 1 AND 2000),
  status smallint NOT NULL CHECK (status IN (200, 404)),
  body jsonb,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (source, request_key),
  CHECK ((status = 200) = (body IS NOT NULL))
);
CREATE INDEX metadata_cache_expires ON metadata_cache (source, expires_at);

CREATE TABLE metadata_cache_stats (
  source text NOT NULL CHECK (source IN ('tmdb', 'musicbrainz', 'openlibrary')),
  day date NOT NULL,
  hits bigint NOT NULL DEFAULT 0 CHECK (hits >= 0),
  misses bigint NOT NULL DEFAULT 0 CHECK (misses >= 0),
  PRIMARY KEY (source, day)
);
