-- One position per event, enforced by the database. The sequencer's cursor already gives each
-- event one position, but a cursor recovered wrongly (after a restore rebased transaction ids)
-- once gave rows a second one and `verify` could not tell. The index is paid by the sequencer's
-- batched insert, never by a writer's commit; it also serves the recovery of the cursor and
-- verify's search for rows without a position.
CREATE UNIQUE INDEX log_event_ref_unique ON log (event_ref);
