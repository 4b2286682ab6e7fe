-- Media catalogue matching: normalised titles (primary title and aliases) indexed for trigram and prefix
-- search, the credit (artist / author) that disambiguates recordings and books, a popularity used to
-- break ties between same-named works, and cross ids (ISRC → recording, TMDb id → film, …).
-- Keys are written by the application's normaliser (shared/media/normalise-title.ts) through
-- MediaRepository, which keeps media_titles in step with media.title and media.aliases.

ALTER TABLE media ADD COLUMN credit text CHECK (length(credit) <= 300);
ALTER TABLE media ADD COLUMN popularity real NOT NULL DEFAULT 0 CHECK (popularity >= 0);

-- One row per matching key of a work: its title (is_primary) and each alias. `kind` is copied from media
-- so kind-filtered nearest-neighbour scans need no join.
CREATE TABLE media_titles (
  media_id text NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  normalised text NOT NULL CHECK (length(normalised) BETWEEN 1 AND 500),
  is_primary boolean NOT NULL,
  kind text NOT NULL CHECK (kind IN ('film', 'tv', 'recording', 'release_group', 'artist', 'book')),
  PRIMARY KEY (media_id, normalised)
);
-- Fuzzy matching: GiST rather than GIN because its trigram opclass answers nearest-neighbour ordering
-- (`ORDER BY normalised <-> $1 LIMIT k`, `$1 <<-> normalised` for word similarity). That plan is
-- always chosen and stays a few milliseconds on 50k titles, whereas a GIN `%` scan depends on fresh
-- index statistics and the planner underrates similarity()'s cost (on PGlite it picked sequential
-- scans at 50+ ms a query). See docs/media-catalogue.md.
CREATE INDEX media_titles_trgm ON media_titles USING gist (normalised gist_trgm_ops);
-- Exact and prefix matches (`normalised LIKE 'blade r%'`) regardless of the database's collation.
CREATE INDEX media_titles_prefix ON media_titles (normalised text_pattern_ops);

-- Identifiers of the same work in other schemes: `isrc` → a recording, `tmdb` → a film, `movielens` …
CREATE TABLE media_external_ids (
  scheme text NOT NULL CHECK (scheme ~ '^[a-z][a-z0-9_]{0,31}$'),
  value text NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
  media_id text NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  PRIMARY KEY (scheme, value)
);
CREATE INDEX media_external_ids_media ON media_external_ids (media_id);
