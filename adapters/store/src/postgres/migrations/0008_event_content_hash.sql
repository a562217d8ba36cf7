-- The content hash of each event (chain v3, docs/CHAIN.md), computed by its writer before the
-- commit: the sequencer chains it without reading the payload back. NULL for a row the executor
-- did not write — an import (its rows arrive with their positions) or a console insert, which
-- the sequencer hashes from its fields.
ALTER TABLE events ADD COLUMN content_hash bytea
    CHECK (content_hash IS NULL OR octet_length(content_hash) = 32);
