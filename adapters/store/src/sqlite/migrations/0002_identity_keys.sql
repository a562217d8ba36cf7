-- Per-complaint keys of the identity vault, kept outside the event log (crypto-shredding).
CREATE TABLE identity_keys (
    key_ref    TEXT PRIMARY KEY,
    subject    TEXT NOT NULL,
    key        BLOB NOT NULL CHECK (length(key) = 32)
);
