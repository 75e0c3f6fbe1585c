-- The card wallet (issue 21): a user's devices, the network tokens their cards were provisioned into, and each
-- card's audit trail. A card number (PAN) and its CVC are never stored, not even encrypted: a card row holds the
-- network's token reference, the last four digits, the expiry and a keyed HMAC of the number (its fingerprint, which
-- says whether a card is already on a device and cannot be reversed without the key).

CREATE TABLE devices (
    id          text        PRIMARY KEY CHECK (id ~ '^dev_[0-9a-f]{32}$'),
    user_id     uuid        NOT NULL REFERENCES users (id),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    platform    text        NOT NULL CHECK (platform IN ('ios', 'android', 'watchos', 'web')),
    status      text        NOT NULL CHECK (status IN ('active', 'lost')),
    created_at  timestamptz NOT NULL,
    lost_at     timestamptz,
    CHECK ((status = 'lost') = (lost_at IS NOT NULL))
);
CREATE INDEX devices_user ON devices (user_id, id);

-- A session may be bound to the device it was opened on; reporting the device lost revokes it.
ALTER TABLE sessions ADD COLUMN device_id text REFERENCES devices (id);
CREATE INDEX sessions_device ON sessions (device_id) WHERE device_id IS NOT NULL AND revoked_at IS NULL;

CREATE TABLE card_tokens (
    id                         text        PRIMARY KEY CHECK (id ~ '^card_[0-9a-f]{32}$'),
    user_id                    uuid        NOT NULL REFERENCES users (id),
    device_id                  text        NOT NULL REFERENCES devices (id),
    network                    text        NOT NULL CHECK (network IN ('visa', 'mastercard', 'amex', 'discover')),
    token_reference            text        NOT NULL UNIQUE CHECK (length(token_reference) BETWEEN 8 AND 64),
    fingerprint                text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    last4                      char(4)     NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    exp_month                  integer     NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year                   integer     NOT NULL CHECK (exp_year BETWEEN 2000 AND 2100),
    cardholder_name            text        NOT NULL CHECK (length(cardholder_name) BETWEEN 1 AND 100),
    kind                       text        NOT NULL CHECK (kind IN ('credit', 'debit', 'prepaid')),
    art                        text        NOT NULL,
    status                     text        NOT NULL CHECK (status IN ('pending_verification', 'active', 'suspended', 'removed')),
    status_reason              text,
    is_default                 boolean     NOT NULL DEFAULT false,
    verification_failures      integer     NOT NULL DEFAULT 0 CHECK (verification_failures >= 0),
    verification_locked_until  timestamptz,
    version                    integer     NOT NULL CHECK (version > 0),
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    CHECK (NOT is_default OR status = 'active' OR status = 'suspended')
);
-- The same card once per device (a removed one may be added again); on another device it is another token.
CREATE UNIQUE INDEX card_tokens_card_on_device ON card_tokens (device_id, fingerprint) WHERE status <> 'removed';
-- One default card per user, at most.
CREATE UNIQUE INDEX card_tokens_one_default ON card_tokens (user_id) WHERE is_default;
CREATE INDEX card_tokens_user ON card_tokens (user_id, device_id, id);
CREATE INDEX card_tokens_device ON card_tokens (device_id) WHERE status IN ('active', 'pending_verification');

-- Who did what to a card, and when: provisioned, verified, suspended, reactivated, removed, made default.
CREATE TABLE card_events (
    card_id     text        NOT NULL REFERENCES card_tokens (id),
    sequence    integer     NOT NULL CHECK (sequence > 0),
    type        text        NOT NULL,
    actor       text        NOT NULL,
    detail      jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (card_id, sequence)
);

-- A merchant payment confirmed with a card of the wallet names it: the card's transaction history.
ALTER TABLE merchant_payments ADD COLUMN card_id text REFERENCES card_tokens (id);
CREATE INDEX merchant_payments_wallet_card ON merchant_payments (card_id, id DESC) WHERE card_id IS NOT NULL;

-- The simulated card networks' own records (their token vaults, counters and answers), kept in PostgreSQL so that
-- every silo sees the same network and a restarted silo finds its tokens. They stand in for systems outside the
-- platform, so they live in a schema of their own; like the platform, they hold no card number.
CREATE SCHEMA card_network_simulator;

CREATE TABLE card_network_simulator.tokens (
    token_reference    text        PRIMARY KEY,
    network            text        NOT NULL,
    device_id          text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('pending_verification', 'active', 'suspended', 'deleted')),
    verification_code  text,
    created_at         timestamptz NOT NULL
);

-- Answers by idempotency key: a retried provisioning or authorization gets the first answer.
CREATE TABLE card_network_simulator.answers (
    network          text        NOT NULL,
    idempotency_key  text        NOT NULL,
    answer           jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (network, idempotency_key)
);

-- Application transaction counters each token has used: one seen before is a replayed cryptogram.
CREATE TABLE card_network_simulator.counters (
    token_reference  text    NOT NULL,
    atc              integer NOT NULL,
    PRIMARY KEY (token_reference, atc)
);

-- Failure injection an operator sets at run time (POST /v1/admin/card_networks/{network}/faults), for every silo.
CREATE TABLE card_network_simulator.faults (
    network      text             PRIMARY KEY,
    latency_ms   integer          NOT NULL CHECK (latency_ms BETWEEN 0 AND 60000),
    error_rate   double precision NOT NULL CHECK (error_rate BETWEEN 0 AND 1),
    down         boolean          NOT NULL,
    updated_at   timestamptz      NOT NULL
);

-- A user's default funding source, when they chose one: 'bank' or a card of theirs. A send larger than the wallet's
-- balance pulls the shortfall from it; without one, such a send is refused for insufficient funds.
CREATE TABLE funding_defaults (
    user_id  uuid PRIMARY KEY REFERENCES users (id),
    source   text NOT NULL CHECK (source = 'bank' OR source ~ '^card_[0-9a-f]{32}$')
);

-- An instant cash-out is a payout pushed to a debit card of the wallet instead of paid to the bank.
ALTER TABLE payouts ADD COLUMN card_id text REFERENCES card_tokens (id);
