-- Settlement and merchant payouts (issue 20). A merchant's settlement grain moves captured money, net of fees and
-- refunds, from the merchant's pending account to its available account once it is older than the settlement delay,
-- and in the same ledger transaction pays the whole available balance out to the bank's system account with a
-- merchant_payouts row: the debt to the merchant's bank is durable before anyone calls the bank. The bank call
-- carries the payout id as its idempotency key; a payout the bank refuses for good is returned to available by a
-- ledger transaction of its own.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_type_check,
    ADD CONSTRAINT ledger_entries_type_check
        CHECK (type IN ('deposit', 'withdrawal', 'transfer', 'capture', 'refund', 'settlement', 'payout_return'));

-- Only settlements and returned payouts move a merchant's available account, and a payout takes what was there: two
-- runs racing on one balance (two activations in a split cluster) would take it below zero, so the row refuses that.
ALTER TABLE accounts ADD CONSTRAINT merchant_available_not_negative
    CHECK (kind <> 'merchant' OR id NOT LIKE '%:available' OR balance >= 0);

-- Each settlement covers the pending account's ledger rows after the previous settlement's last row, up to
-- through_sequence: every row of that range is older than the cutoff, so nothing is counted twice or skipped.
CREATE TABLE merchant_settlements (
    id                text        PRIMARY KEY CHECK (id ~ '^stl_[0-9a-f]{32}$'),
    merchant_id       text        NOT NULL REFERENCES merchants (id),
    currency          char(3)     NOT NULL,
    after_sequence    bigint      NOT NULL CHECK (after_sequence >= 0),
    through_sequence  bigint      NOT NULL,
    amount            bigint      NOT NULL CHECK (amount > 0),
    cutoff            timestamptz NOT NULL,
    created_at        timestamptz NOT NULL,
    CHECK (through_sequence > after_sequence),
    -- Two settlements from the same cursor would count the same rows twice.
    UNIQUE (merchant_id, after_sequence)
);
CREATE INDEX merchant_settlements_cursor ON merchant_settlements (merchant_id, through_sequence DESC);

CREATE TABLE merchant_payouts (
    id               text        PRIMARY KEY CHECK (id ~ '^po_[0-9a-f]{32}$'),
    merchant_id      text        NOT NULL REFERENCES merchants (id),
    settlement_id    text        REFERENCES merchant_settlements (id),
    amount           bigint      NOT NULL CHECK (amount > 0),
    currency         char(3)     NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error       text,
    failure_code     text,
    created_at       timestamptz NOT NULL,
    paid_at          timestamptz,
    failed_at        timestamptz,
    CHECK ((status = 'paid') = (paid_at IS NOT NULL)),
    CHECK ((status = 'failed') = (failed_at IS NOT NULL AND failure_code IS NOT NULL))
);
CREATE INDEX merchant_payouts_merchant ON merchant_payouts (merchant_id, id DESC);
CREATE INDEX merchant_payouts_pending ON merchant_payouts (merchant_id, created_at) WHERE status = 'pending';
-- Reconciliation reads what the bank confirmed by the day it confirmed it.
CREATE INDEX merchant_payouts_paid ON merchant_payouts (paid_at) WHERE status = 'paid';
CREATE INDEX payouts_paid ON payouts (paid_at) WHERE status = 'paid';

-- Payouts leave through the bank's system account of their currency; merchants in other currencies than USD need one.
INSERT INTO accounts (id, kind, currency)
SELECT DISTINCT 'system:bank:' || default_currency, 'system', default_currency FROM merchants
ON CONFLICT (id) DO NOTHING;

-- Reconciliation reports: what a bank statement said against what the project sent the bank.
CREATE TABLE reconciliation_reports (
    id               text        PRIMARY KEY CHECK (id ~ '^rec_[0-9a-f]{32}$'),
    statement_lines  integer     NOT NULL CHECK (statement_lines >= 0),
    period_start     date,
    period_end       date,
    matched          integer     NOT NULL CHECK (matched >= 0),
    discrepancies    integer     NOT NULL CHECK (discrepancies >= 0),
    report           jsonb       NOT NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX reconciliation_reports_newest ON reconciliation_reports (id DESC);
