-- Merchant payments (issue 19): merchants, their API keys, holds as pending postings, and payments.

-- A merchant belongs to the user who created it. Ids are "mer_" + 32 hex digits (a UUIDv7), so they never look like
-- a user id (a bare UUID) in an idempotency scope.
CREATE TABLE merchants (
    id                text        PRIMARY KEY CHECK (id ~ '^mer_[0-9a-f]{32}$'),
    owner_id          uuid        NOT NULL REFERENCES users (id),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    country           char(2)     NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    default_currency  char(3)     NOT NULL,
    created_at        timestamptz NOT NULL
);
CREATE INDEX merchants_owner ON merchants (owner_id, id);

-- API keys: only the SHA-256 of the secret is kept (a secret has 256 random bits, so a slow hash adds nothing).
-- The prefix is the key's public part and its lookup. A rolled key stays valid until expires_at; a revoked one never.
CREATE TABLE api_keys (
    id           text        PRIMARY KEY,
    merchant_id  text        NOT NULL REFERENCES merchants (id),
    prefix       text        NOT NULL UNIQUE,
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, id);

-- Merchant accounts: a merchant's balance may go negative (a refund larger than what is left, as at Stripe), so the
-- overdraft check binds wallets only. Each merchant has a pending and an available account per currency.
ALTER TABLE accounts ADD COLUMN merchant_id text REFERENCES merchants (id);
ALTER TABLE accounts DROP CONSTRAINT accounts_kind_check,
    ADD CONSTRAINT accounts_kind_check CHECK (kind IN ('wallet', 'system', 'merchant'));
ALTER TABLE accounts DROP CONSTRAINT wallet_balance_not_negative,
    ADD CONSTRAINT wallet_balance_not_negative CHECK (kind <> 'wallet' OR balance >= 0);
ALTER TABLE accounts ADD CONSTRAINT merchant_has_merchant CHECK ((kind = 'merchant') = (merchant_id IS NOT NULL));

-- Card money enters through the card networks' clearing account; fees collect in the fee account.
INSERT INTO accounts (id, kind, currency) VALUES ('system:card_clearing:USD', 'system', 'USD'), ('system:fees:USD', 'system', 'USD')
ON CONFLICT (id) DO NOTHING;

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_type_check,
    ADD CONSTRAINT ledger_entries_type_check CHECK (type IN ('deposit', 'withdrawal', 'transfer', 'capture', 'refund'));

-- Holds: pending postings in TigerBeetle's two-phase shape. A pending hold reserves `amount` on its debit account
-- (accounts.held is the sum of its pending holds, so available = balance - held); posting moves up to `amount` with
-- ledger rows and releases the rest; voiding or expiry releases it all. Refunds of a posted hold never exceed what
-- was posted. The ledger writer locks a hold's row with the batch's accounts, so two activations of one payment
-- cannot both capture it, nor refund more than was captured between them.
CREATE TABLE ledger_holds (
    id                 uuid        PRIMARY KEY,
    debit_account_id   text        NOT NULL,
    credit_account_id  text        NOT NULL,
    amount             bigint      NOT NULL CHECK (amount > 0),
    currency           char(3)     NOT NULL,
    status             text        NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
    posted_amount      bigint      NOT NULL DEFAULT 0,
    refunded_amount    bigint      NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    resolved_at        timestamptz,
    CHECK (debit_account_id <> credit_account_id),
    CHECK (posted_amount BETWEEN 0 AND amount),
    CHECK (refunded_amount BETWEEN 0 AND posted_amount),
    CHECK ((status = 'pending') = (resolved_at IS NULL)),
    CHECK (status = 'posted' OR (posted_amount = 0 AND refunded_amount = 0))
);
CREATE INDEX ledger_holds_pending ON ledger_holds (debit_account_id) WHERE status = 'pending';

-- Payments, as their grain last wrote them: `view` is the API's representation, the other columns serve listings.
-- Each change commits with its ledger entry (if it moves money), its event row and its outbox event.
CREATE TABLE merchant_payments (
    id                  text        PRIMARY KEY CHECK (id ~ '^pay_[0-9a-f]{32}$'),
    merchant_id         text        NOT NULL REFERENCES merchants (id),
    status              text        NOT NULL CHECK (status IN ('requires_confirmation', 'requires_capture', 'succeeded', 'canceled', 'failed')),
    amount              bigint      NOT NULL CHECK (amount > 0),
    currency            char(3)     NOT NULL,
    customer_reference  text,
    description         text,
    hold_id             uuid,
    view                jsonb       NOT NULL,
    version             integer     NOT NULL CHECK (version > 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
-- Listings: newest first per merchant (ids are UUIDv7, so id order is creation order), filtered on the way.
CREATE INDEX merchant_payments_listing ON merchant_payments (merchant_id, id DESC);
CREATE INDEX merchant_payments_customer ON merchant_payments (merchant_id, customer_reference, id DESC) WHERE customer_reference IS NOT NULL;

-- A payment's history: created, authorized, captured, refunded, ..., with who did it.
CREATE TABLE merchant_payment_events (
    payment_id  text        NOT NULL,
    sequence    integer     NOT NULL CHECK (sequence > 0),
    type        text        NOT NULL,
    actor       text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (payment_id, sequence)
);
