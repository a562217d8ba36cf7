-- When an API token stops acting (RFC 3339, UTC, to the microsecond): issued tokens expire,
-- and a request with one past its instant is refused as expired. Tokens issued before this
-- column existed have none and keep acting until revoked.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
