-- What a ledger row belongs to beyond its accounts: a merchant payment's id on the rows of its captures and refunds,
-- so a wallet's history names the payment, and through it the order that paid with it. Rows written before this
-- migration have none.
ALTER TABLE ledger_entries ADD COLUMN reference text CHECK (length(reference) <= 64);
-- An order lists its payment's ledger transactions through this index.
CREATE INDEX ledger_entries_reference ON ledger_entries (reference) WHERE reference IS NOT NULL;

-- A payment pays for at most one order; the history finds the order of a payment line through this index.
CREATE UNIQUE INDEX orders_payment ON orders (payment_id) WHERE payment_id IS NOT NULL;
