-- One key per subject (a complaint): sealing is idempotent per complaint, so a command retried
-- after a lost race seals with the key already made instead of leaving an orphan key behind.
CREATE UNIQUE INDEX identity_keys_subject_unique ON identity_keys (subject);
