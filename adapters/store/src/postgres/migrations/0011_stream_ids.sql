-- Every stream of a type, listed in byte order a page at a time (`EventStore::stream_ids`: how
-- the scheduler finds each campaign and schedule at every look). One row per stream — its first
-- event — ordered as the query orders, so a page is an index range, whatever the database's
-- collation.
CREATE INDEX events_stream_ids ON events (stream_type, (stream_id COLLATE "C"))
    WHERE stream_version = 1;
