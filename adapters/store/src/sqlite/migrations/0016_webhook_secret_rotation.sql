-- Rotating a webhook subscription's secret (issue #13): the new secret signs every delivery at
-- once, and the one it replaced signs beside it until `previous_until`, so a receiver can
-- switch secrets without refusing a delivery (Standard Webhooks: several space-delimited
-- signatures, any one of which verifies).
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_subscriptions ADD COLUMN previous_until TEXT;
