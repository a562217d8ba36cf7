-- Where the sequencer stands, written with every batch it sequences (in the same transaction as
-- its log rows): the highest (transaction id, row id) it has sequenced, and the transactions
-- that were still running below it — the only ones whose rows may yet appear behind it. A
-- sequencer taking over resumes from here, and `verify` tells a row still to be sequenced from
-- one slipped in behind the sequencer's back.
CREATE TABLE sequencer_state (
    id         smallint PRIMARY KEY CHECK (id = 1),
    cursor_tx  xid8 NOT NULL,
    cursor_id  bigint NOT NULL,
    pending    xid8[] NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
