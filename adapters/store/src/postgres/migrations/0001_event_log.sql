-- The events of every stream, as their writers committed them. `tx_id` is the writing
-- transaction's id: the sequencer uses it to give every committed event its place in the
-- global log without serialising the writers.
CREATE TABLE events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx_id          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_type    text NOT NULL,
    stream_id      text NOT NULL,
    stream_version bigint NOT NULL CHECK (stream_version > 0),
    event_id       uuid NOT NULL, -- UUID v7; no unique index: one more per event, guarding nothing
    event_type     text NOT NULL,
    schema_version text NOT NULL,
    payload        jsonb NOT NULL,
    metadata       jsonb NOT NULL,
    recorded_at    timestamptz NOT NULL,
    CONSTRAINT events_stream_version_unique UNIQUE (stream_type, stream_id, stream_version)
);
CREATE INDEX events_commit_order ON events (tx_id, id);

-- The global log: a dense position for every committed event, and the hash chaining it to all
-- before it. Written only by the sequencer. Kept apart from `events` so assigning positions
-- never rewrites event rows.
CREATE TABLE log (
    position     bigint PRIMARY KEY CHECK (position > 0),
    -- No foreign key (its check would lock, and so rewrite, every event row it points at) and no
    -- unique index: the sequencer's cursor gives each event one position, the ordering stress
    -- test proves it, and every index here is paid by every event.
    event_ref    bigint NOT NULL,
    hash         bytea NOT NULL CHECK (length(hash) = 32),
    sequenced_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE snapshots (
    stream_type text NOT NULL,
    stream_id   text NOT NULL,
    version     bigint NOT NULL,
    state       jsonb NOT NULL,
    taken_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_type, stream_id)
);

CREATE TABLE idempotency (
    actor        text NOT NULL,
    key          text NOT NULL,
    command_hash text NOT NULL,
    stream_type  text NOT NULL,
    stream_id    text NOT NULL,
    from_version bigint NOT NULL,
    to_version   bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT idempotency_pkey PRIMARY KEY (actor, key)
);
-- No index on created_at: the hourly purge may scan the table (at most the retention's worth of
-- keys) rather than every keyed command paying for one more index entry.

CREATE TABLE checkpoints (
    consumer   text PRIMARY KEY,
    position   bigint NOT NULL CHECK (position >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
