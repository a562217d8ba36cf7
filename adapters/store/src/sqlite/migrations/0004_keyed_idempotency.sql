-- Idempotency records remember refusals, and fingerprints are keyed.
--
-- `refusal_code`: the stable code of the rules' refusal of a keyed command (NULL when it was
-- carried out), so a repeat gets the same refusal and the key cannot be taken by another
-- command. Port and store failures are never recorded.
ALTER TABLE idempotency ADD COLUMN refusal_code TEXT
    CHECK (refusal_code IS NULL OR length(trim(refusal_code)) > 0);

-- Records made before this migration hold an unsalted SHA-256 of the whole command — with a
-- complainant's name and contact in it, confirmable by anyone who can read this file. Scrub
-- them: the marker matches no command, so until the record expires a repeat of its key is
-- refused as a reused key (never carried out twice), and nothing guessable is left.
UPDATE idempotency SET command_hash = 'scrubbed:unkeyed'
WHERE command_hash NOT LIKE 'hmac-sha256:%';

-- Erasing a complainant deletes the records of their complaint's stream; no index for it —
-- erasures are rare, and the table holds only the retention window's keys (the purge scans
-- it the same way).
