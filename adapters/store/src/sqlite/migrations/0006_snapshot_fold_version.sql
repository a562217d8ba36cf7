-- The version of the fold (the aggregate's `apply`) that made each snapshot. A load uses a
-- snapshot only under the same fold version and otherwise replays the stream, so a changed
-- `apply` never keeps the old fold's results. Every snapshot taken before this migration was
-- made by the first fold of its aggregate (version 1); SQLite cannot drop a column's default,
-- so it stays, and the store always writes the version. (Number 6, as on PostgreSQL, whose
-- 5 has no SQLite counterpart: a snapshot migration has one number on both backends.)
ALTER TABLE snapshots ADD COLUMN fold_version INTEGER NOT NULL DEFAULT 1
    CHECK (fold_version > 0);
