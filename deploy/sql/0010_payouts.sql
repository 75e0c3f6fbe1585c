-- Payouts owed to users' banks. A withdrawal commits its ledger entry with a PayoutRequested event (stream
-- "payouts", key = user id); the user's payout grain records the event here and calls the bank until the bank
-- confirms, retrying on a reminder through bank outages of any length. The bank call carries the ledger transaction
-- id as its idempotency key, so a retry after a crash (or a redelivered event) never pays twice.
CREATE TABLE payouts (
    transaction_id  uuid        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id),
    amount          bigint      NOT NULL CHECK (amount > 0),
    currency        char(3)     NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'paid')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      text,
    requested_at    timestamptz NOT NULL,
    paid_at         timestamptz,
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
-- What is still owed, per user (the payout grain's retry) and overall (operators: oldest first).
CREATE INDEX payouts_pending ON payouts (user_id, requested_at) WHERE status = 'pending';
CREATE INDEX payouts_pending_age ON payouts (requested_at) WHERE status = 'pending';
