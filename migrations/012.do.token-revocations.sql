-- Token revocation and member-preview audit (issue 11). Revocations live here, not in a replica's
-- memory, so every replica refuses a revoked token on its next request: one token by its id (jti), or
-- every token a subject was issued before a time ("log out everywhere"). Both are primary-key lookups
-- made on every authenticated request.

CREATE TABLE revoked_tokens (
  jti text PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 256),
  revoked_by text NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now()
);

-- One row per subject: tokens whose iat is before issued_before are refused. It only ever moves later.
CREATE TABLE token_revocation_cutoffs (
  subject text PRIMARY KEY CHECK (length(subject) BETWEEN 1 AND 128),
  issued_before timestamptz NOT NULL,
  revoked_by text NOT NULL,
  revoked_at timestamptz NOT NULL DEFAULT now()
);

-- Everything done with a member-preview token, recorded as the staff member's (the token's act.sub):
-- the minting itself ('mint'), then each request ('request': method, route pattern, answer status).
-- A request's row is written before its handler runs (status filled in when it is answered), so an
-- action is never taken without its row.
CREATE TABLE preview_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reviewer_id text NOT NULL,
  member_id text NOT NULL,
  token_id text,
  event text NOT NULL CHECK (event IN ('mint', 'request')),
  writable boolean NOT NULL,
  method text,
  route text,
  status integer,
  at timestamptz NOT NULL DEFAULT now(),
  CHECK ((event = 'request') = (method IS NOT NULL AND route IS NOT NULL))
);
CREATE INDEX preview_audit_reviewer_time ON preview_audit (reviewer_id, at DESC);
CREATE INDEX preview_audit_member_time ON preview_audit (member_id, at DESC);
