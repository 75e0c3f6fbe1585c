-- Users and sessions. Passwords are stored only as salted PBKDF2 hashes; sessions only as token hashes.
CREATE TABLE users (
    id             uuid        PRIMARY KEY,
    username       text        NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_]{3,32}$'),
    display_name   text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    password_hash  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops);

CREATE TABLE sessions (
    token_hash  text        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Accounts of the double-entry ledger. Wallets belong to users; system accounts (bank funding, card settlement,
-- fees) are where money enters and leaves, so the sum of all accounts per currency is always zero.
-- The CHECK is the last line of defence against overdraft, whatever the grains believe.
CREATE TABLE accounts (
    id          text        PRIMARY KEY,
    kind        text        NOT NULL CHECK (kind IN ('wallet', 'system')),
    user_id     uuid        REFERENCES users (id),
    currency    char(3)     NOT NULL,
    balance     bigint      NOT NULL DEFAULT 0,
    held        bigint      NOT NULL DEFAULT 0 CHECK (held >= 0),
    version     bigint      NOT NULL DEFAULT 0,
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT wallet_balance_not_negative CHECK (kind = 'system' OR balance >= 0),
    CONSTRAINT wallet_has_user CHECK ((kind = 'wallet') = (user_id IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_wallet_per_user_currency ON accounts (user_id, currency) WHERE kind = 'wallet';

INSERT INTO accounts (id, kind, currency) VALUES ('system:bank:USD', 'system', 'USD');

-- A ledger transaction groups postings that sum to zero per currency.
-- Postings and transfers carry no foreign keys: they are written only by the ledger writer, which locks and checks
-- every account of a batch before writing, and foreign key checks would double the cost of the hot path. The audit
-- (GET /v1/admin/ledger/audit) checks for orphans instead.
CREATE TABLE ledger_transactions (
    id          uuid        PRIMARY KEY,
    type        text        NOT NULL CHECK (type IN ('deposit', 'withdrawal', 'transfer')),
    created_at  timestamptz NOT NULL
);

CREATE TABLE postings (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  uuid        NOT NULL,
    account_id      text        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount <> 0),
    currency        char(3)     NOT NULL,
    balance_after   bigint      NOT NULL,
    counterparty    text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX postings_transaction ON postings (transaction_id);
CREATE INDEX postings_account_history ON postings (account_id, id DESC);

CREATE TABLE transfers (
    id          uuid        PRIMARY KEY,
    from_user   uuid        NOT NULL,
    to_user     uuid        NOT NULL,
    amount      bigint      NOT NULL CHECK (amount > 0),
    currency    char(3)     NOT NULL,
    note        text        NOT NULL CHECK (length(note) <= 280),
    visibility  text        NOT NULL CHECK (visibility IN ('public', 'friends', 'private')),
    status      text        NOT NULL,
    created_at  timestamptz NOT NULL,
    CHECK (from_user <> to_user)
);

-- Written in the same transaction as the effect it records, so a retry after a crash finds the original answer.
CREATE TABLE idempotency_records (
    scope         text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status        integer     NOT NULL,
    body          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);

-- Events appended with the business change that caused them; streams deliver them from here.
CREATE TABLE outbox_events (
    position          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          uuid        NOT NULL UNIQUE,
    stream_namespace  text        NOT NULL,
    stream_key        text        NOT NULL,
    type              text        NOT NULL,
    payload           jsonb       NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_events_stream ON outbox_events (stream_namespace, stream_key, position);

-- Daily send limits and "my transfers" read transfers by sender and time.
CREATE INDEX transfers_from_user_time ON transfers (from_user, created_at);
CREATE INDEX transfers_to_user_time ON transfers (to_user, created_at);
