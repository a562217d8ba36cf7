-- Event ids are unique on SQLite since 0001 (`event_id TEXT NOT NULL UNIQUE`), but as text:
-- '0190ab…' and '0190AB…', or the same with braces, are two texts and one UUID, which
-- PostgreSQL's `uuid` column (unique since its 0003) counts as the same id. So the store keeps
-- only the canonical text of a UUID — 36 characters, lower case, the form the store writes —
-- and text uniqueness is UUID uniqueness, as on PostgreSQL. A row that is not a UUID at all is
-- already reported as corrupt when read. SQLite cannot add a CHECK to an existing table, so
-- triggers refuse other spellings, on insert and on update.
CREATE TRIGGER events_event_id_canonical_insert
BEFORE INSERT ON events
WHEN length(NEW.event_id) <> 36 OR NEW.event_id <> lower(NEW.event_id)
BEGIN
    SELECT RAISE(ABORT, 'event_id must be a UUID in canonical form (36 characters, lower case)');
END;

CREATE TRIGGER events_event_id_canonical_update
BEFORE UPDATE OF event_id ON events
WHEN length(NEW.event_id) <> 36 OR NEW.event_id <> lower(NEW.event_id)
BEGIN
    SELECT RAISE(ABORT, 'event_id must be a UUID in canonical form (36 characters, lower case)');
END;
