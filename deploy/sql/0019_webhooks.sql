-- Webhooks (issue 20): a merchant's endpoints, the events they are told about, and each delivery with its attempts.
-- An event is written by the webhook dispatcher from the merchant's payment stream (its id is the outbox event's), so
-- it exists once however often the stream redelivers; a delivery is one event to one endpoint, and the unique index on
-- (endpoint, event) for stream-made deliveries keeps a redelivered event from being sent twice. Resends and test pings
-- are deliveries of their own. A delivery's event is written before it or in its transaction, by the same code: no
-- foreign key checks it (a row-by-row lookup on the hottest insert). Secrets are kept encrypted (AES-256-GCM, the
-- silo's key; signing needs them back, so they cannot be hashed) and are never listed.
CREATE TABLE webhook_endpoints (
    id                          text        PRIMARY KEY CHECK (id ~ '^we_[0-9a-f]{32}$'),
    merchant_id                 text        NOT NULL REFERENCES merchants (id),
    url                         text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    description                 text        CHECK (length(description) <= 500),
    enabled_events              text[]      NOT NULL CHECK (cardinality(enabled_events) BETWEEN 1 AND 32),
    status                      text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    disabled_reason             text,
    secret                      text        NOT NULL CHECK (secret LIKE 'enc:v1:%'),
    previous_secret             text        CHECK (previous_secret LIKE 'enc:v1:%'),
    previous_secret_expires_at  timestamptz,
    failing_since               timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id, id DESC);

CREATE TABLE webhook_events (
    id           text        PRIMARY KEY CHECK (id ~ '^evt_[0-9a-f]{32}$'),
    merchant_id  text        NOT NULL,
    type         text        NOT NULL,
    payload      text        NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE webhook_deliveries (
    id               text        PRIMARY KEY CHECK (id ~ '^whd_[0-9a-f]{32}$'),
    endpoint_id      text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         text        NOT NULL,
    origin           text        NOT NULL CHECK (origin IN ('event', 'resend', 'test')),
    status           text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL,
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (endpoint_id, event_id) WHERE origin = 'event';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    delivery_id    text        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt        integer     NOT NULL CHECK (attempt >= 1),
    status_code    integer,
    latency_ms     integer     NOT NULL CHECK (latency_ms >= 0),
    error          text,
    response_body  text        CHECK (length(response_body) <= 1024),
    attempted_at   timestamptz NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
