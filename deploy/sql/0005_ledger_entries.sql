-- The ledger in TigerBeetle's shape: one row per movement of money. `amount` leaves the debit account and reaches
-- the credit account, so every row balances by construction; a ledger transaction with more legs is several rows
-- sharing transaction_id. Both balances after the movement are on the row, so each side's history reads one index.
-- This replaces ledger_transactions + two postings + transfers (four rows and ten index entries per payment) with
-- one row and three index entries: the insert cost of a payment roughly halves.
CREATE TABLE ledger_entries (
    sequence              bigint      GENERATED ALWAYS AS IDENTITY,
    transaction_id        uuid        NOT NULL,
    leg                   smallint    NOT NULL DEFAULT 0 CHECK (leg BETWEEN 0 AND 15),
    type                  text        NOT NULL CHECK (type IN ('deposit', 'withdrawal', 'transfer')),
    debit_account_id      text        NOT NULL,
    credit_account_id     text        NOT NULL,
    amount                bigint      NOT NULL CHECK (amount > 0),
    currency              char(3)     NOT NULL,
    debit_balance_after   bigint      NOT NULL,
    credit_balance_after  bigint      NOT NULL,
    -- What the payer said about a transfer: shown in histories and (issue 5) the feed.
    note                  text        CHECK (length(note) <= 280),
    visibility            text        CHECK (visibility IN ('public', 'friends', 'private')),
    created_at            timestamptz NOT NULL,
    PRIMARY KEY (transaction_id, leg),
    CHECK (debit_account_id <> credit_account_id)
);
-- Histories, newest first, in commit order (the sequence is assigned at insert, in batch order).
CREATE INDEX ledger_entries_debit_history ON ledger_entries (debit_account_id, sequence);
CREATE INDEX ledger_entries_credit_history ON ledger_entries (credit_account_id, sequence);

-- Transfers sent on the account's last sending day (UTC), maintained by the ledger writer with the balance, so a
-- wallet grain reads its daily limit from its own row instead of summing history.
ALTER TABLE accounts ADD COLUMN sent_on date;
ALTER TABLE accounts ADD COLUMN sent_that_day bigint NOT NULL DEFAULT 0 CHECK (sent_that_day >= 0);

-- Carry existing data over: every transaction so far has exactly one negative and one positive posting.
INSERT INTO ledger_entries (transaction_id, type, debit_account_id, credit_account_id, amount, currency,
                            debit_balance_after, credit_balance_after, note, visibility, created_at)
SELECT t.id, t.type, d.account_id, c.account_id, c.amount, c.currency, d.balance_after, c.balance_after,
       r.note, r.visibility, t.created_at
FROM ledger_transactions t
JOIN postings d ON d.transaction_id = t.id AND d.amount < 0
JOIN postings c ON c.transaction_id = t.id AND c.amount > 0
LEFT JOIN transfers r ON r.id = t.id
ORDER BY least(d.id, c.id);

UPDATE accounts a SET sent_on = s.day, sent_that_day = s.total
FROM (SELECT debit_account_id, (now() AT TIME ZONE 'UTC')::date AS day, sum(amount) AS total
      FROM ledger_entries
      WHERE type = 'transfer' AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
      GROUP BY debit_account_id) s
WHERE a.id = s.debit_account_id;

DROP TABLE transfers;
DROP TABLE postings;
DROP TABLE ledger_transactions;

-- Double-entry postings for operators and reports: each movement seen from both sides (credit positive).
CREATE VIEW ledger_postings AS
SELECT transaction_id, leg, sequence, type, debit_account_id AS account_id, -amount AS amount, currency,
       debit_balance_after AS balance_after, credit_account_id AS counterparty_account_id, created_at
FROM ledger_entries
UNION ALL
SELECT transaction_id, leg, sequence, type, credit_account_id, amount, currency,
       credit_balance_after, debit_account_id, created_at
FROM ledger_entries;

-- Expiry sweeps need only a coarse order: a BRIN index costs almost nothing per insert, a B-tree one entry each.
DROP INDEX idempotency_records_expiry;
CREATE INDEX idempotency_records_expiry ON idempotency_records USING brin (expires_at);

-- Every batch rewrites its accounts' rows: room on each page keeps those updates HOT (no index entries, less to vacuum).
ALTER TABLE accounts SET (fillfactor = 70);
