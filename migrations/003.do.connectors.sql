-- Connectors (Spotify first) and the local storage driver's upload grants.

-- One row per member and connector: its sync state, the tokens (AES-256-GCM sealed by the server,
-- never stored in clear) and what the last sync did.
CREATE TABLE connector_accounts (
  member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  connector text NOT NULL CHECK (connector IN ('spotify')),
  state text NOT NULL DEFAULT 'idle' CHECK (state IN ('idle', 'syncing', 'done', 'error')),
  refresh_token_encrypted bytea,
  access_token_encrypted bytea,
  access_token_expires_at timestamptz,
  scopes text[] NOT NULL DEFAULT '{}',
  -- pages, tracksSeen, matched, favoritesAdded, unmatched, overLimit of the current or last sync.
  counts jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(counts) = 'object'),
  last_sync_at timestamptz,
  last_error text CHECK (length(last_error) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, connector),
  CHECK ((access_token_encrypted IS NULL) = (access_token_expires_at IS NULL))
);

-- Upload URLs issued by the local storage driver: the URL names only the grant, so the object key,
-- content type and size limit stay on the server, and `used_at` makes each URL single-use.
CREATE TABLE storage_upload_grants (
  id uuid PRIMARY KEY,
  object_key text NOT NULL CHECK (length(object_key) BETWEEN 1 AND 512),
  content_type text NOT NULL CHECK (length(content_type) BETWEEN 1 AND 200),
  max_bytes integer NOT NULL CHECK (max_bytes > 0),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storage_upload_grants_expires ON storage_upload_grants (expires_at);
