-- Event ids are unique, as on SQLite (whose `event_id` has been UNIQUE from the start), so an
-- integrator can de-duplicate by event id. 0001 left the index out to save one index entry per
-- event; a second row with a taken id then went unnoticed, and the two backends disagreed on
-- what a store may hold. The price is that entry: one more index to maintain per event
-- written. A database that already holds a repeated id fails this migration, which names the
-- id: such a log must be repaired by hand before it is served again.
CREATE UNIQUE INDEX events_event_id_unique ON events (event_id);
