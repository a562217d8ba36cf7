-- Per-complaint keys of the identity vault, kept outside the event log: deleting a key makes
-- the complainant's sealed identity in the log unreadable for good (crypto-shredding) while
-- the log, its hashes and its chain stay intact.
CREATE TABLE identity_keys (
    key_ref    text PRIMARY KEY,
    subject    text NOT NULL,
    key        bytea NOT NULL CHECK (length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
