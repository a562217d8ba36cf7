-- One writer at a time (BEGIN IMMEDIATE) gives commit order for free: the position is assigned
-- and the hash chained in the writing transaction itself.
CREATE TABLE events (
    position       INTEGER PRIMARY KEY CHECK (position > 0),
    stream_type    TEXT NOT NULL,
    stream_id      TEXT NOT NULL,
    stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    event_id       TEXT NOT NULL UNIQUE,
    event_type     TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    payload        TEXT NOT NULL,
    metadata       TEXT NOT NULL,
    recorded_at    INTEGER NOT NULL, -- microseconds since the Unix epoch, UTC
    hash           BLOB NOT NULL CHECK (length(hash) = 32),
    UNIQUE (stream_type, stream_id, stream_version)
);

CREATE TABLE snapshots (
    stream_type TEXT NOT NULL,
    stream_id   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    state       TEXT NOT NULL,
    PRIMARY KEY (stream_type, stream_id)
);

CREATE TABLE idempotency (
    actor        TEXT NOT NULL,
    key          TEXT NOT NULL,
    command_hash TEXT NOT NULL,
    stream_type  TEXT NOT NULL,
    stream_id    TEXT NOT NULL,
    from_version INTEGER NOT NULL,
    to_version   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_created_at ON idempotency (created_at);

CREATE TABLE checkpoints (
    consumer   TEXT PRIMARY KEY,
    position   INTEGER NOT NULL CHECK (position >= 0)
);
