-- The version of the fold (the aggregate's `apply`) that made each snapshot. A load uses a
-- snapshot only under the same fold version and otherwise replays the stream, so a changed
-- `apply` never keeps the old fold's results. Every snapshot taken before this migration was
-- made by the first fold of its aggregate (version 1). The default serves only those rows:
-- it is dropped, so a writer that forgets the version fails instead of claiming version 1.
ALTER TABLE snapshots ADD COLUMN fold_version bigint NOT NULL DEFAULT 1
    CHECK (fold_version > 0);
ALTER TABLE snapshots ALTER COLUMN fold_version DROP DEFAULT;
