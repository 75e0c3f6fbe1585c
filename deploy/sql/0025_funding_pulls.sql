-- Every pull from a user's bank or card that the ledger credited, by the key the pull was made under. A pull's key
-- names its request (scope, Idempotency-Key, request hash), and the bank or card network answers a key it has seen with
-- its first answer, without moving money again, for as long as it remembers it: possibly longer than the 24 hours an
-- idempotency record is kept. A request repeated after its record was deleted would then be credited a second time
-- for one pull; this key refuses that. Rows are kept for good (a few dozen bytes a funded payment).
CREATE TABLE funding_pulls (
    pull_key        text        PRIMARY KEY,
    account_id      text        NOT NULL,
    amount          bigint      NOT NULL CHECK (amount > 0),
    transaction_id  uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
