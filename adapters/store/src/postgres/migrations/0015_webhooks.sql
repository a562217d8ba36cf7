-- Webhook subscriptions (issue #13): where an integrator's events are delivered, signed with
-- the subscription's secret (Standard Webhooks, `whsec_…`: kept as is, since signing needs
-- it), whose read scope they follow (the token that made it), and how far delivery has come:
-- `position` is the last log position handled — delivered, passed over by the filter, or
-- parked as a dead letter. A paused subscription keeps its position and waits to be resumed.
CREATE TABLE webhook_subscriptions (
    id            TEXT PRIMARY KEY,
    token_id      TEXT NOT NULL,
    url           TEXT NOT NULL,
    filter        TEXT NOT NULL,
    secret        TEXT NOT NULL,
    on_failure    TEXT NOT NULL,
    position      BIGINT NOT NULL,
    paused_at     TEXT,
    paused_reason TEXT,
    created_at    TEXT NOT NULL,
    -- The Idempotency-Key it was made with, and the request's body: a repeat of the key
    -- answers this subscription; the same key with another body is refused.
    idempotency_key TEXT,
    request         TEXT
);
CREATE UNIQUE INDEX webhook_subscriptions_idempotency
    ON webhook_subscriptions (token_id, idempotency_key);

-- Deliveries given up on after the last retry, when the subscription moves on: redelivered on
-- request (and then removed), or removed with their subscription.
CREATE TABLE webhook_dead_letters (
    subscription TEXT NOT NULL,
    position     BIGINT NOT NULL,
    event_id     TEXT NOT NULL,
    attempts     BIGINT NOT NULL,
    last_error   TEXT NOT NULL,
    parked_at    TEXT NOT NULL,
    PRIMARY KEY (subscription, position)
);
