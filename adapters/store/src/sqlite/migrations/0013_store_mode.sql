-- Whether the store holds the real campaign or a rehearsal (演练): marked once, by the first
-- `serve` (or by the demo that writes a rehearsal store), and never changed, so simulated time
-- never mixes with real time. A rehearsal store keeps its clock: the instant the last advance
-- left it at, where the next start resumes.
CREATE TABLE store_mode (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    mode      TEXT NOT NULL CHECK (mode IN ('live', 'rehearsal')),
    marked_at TEXT NOT NULL,
    clock     TEXT
);
