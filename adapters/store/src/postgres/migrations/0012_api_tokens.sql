-- API tokens (the HTTP API's bearer secrets): each acts for one person in one role. Only the
-- secret's SHA-256 is kept — a random 256-bit secret needs no slow hash, and a lookup by its
-- digest is one index probe. Revoked tokens stay, with the instant, for the audit trail.
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL UNIQUE,
    person        TEXT,
    acting        TEXT NOT NULL,
    label         TEXT,
    created_at    TEXT NOT NULL,
    revoked_at    TEXT
);
