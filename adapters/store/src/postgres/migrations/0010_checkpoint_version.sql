-- The code version of the consumer (its handler's `VERSION`) that wrote each checkpoint. On
-- start, a runner with newer code resets the consumer (its tables dropped and rebuilt, its
-- checkpoint set to 0 under the new version); one with older code stands down rather than write
-- with old code (rolling upgrades). Every checkpoint written before this migration was written
-- by the first version of its consumer (version 1); the store always writes the version.
ALTER TABLE checkpoints ADD COLUMN version bigint NOT NULL DEFAULT 1
    CHECK (version > 0);
