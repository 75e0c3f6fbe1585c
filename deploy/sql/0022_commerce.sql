-- Commerce (issue 22): merchants' products, buyers' orders and their sagas, and the audit log. A product's stock is
-- not here: it is Orleans transactional state of the product's stock grain (in the grain storage table), and
-- `units_available` below is the listings' read model of it, written after each stock transaction commits.

CREATE TABLE products (
    id               text        PRIMARY KEY CHECK (id ~ '^prod_[0-9a-f]{32}$'),
    merchant_id      text        NOT NULL REFERENCES merchants (id),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description      text        NOT NULL CHECK (length(description) <= 2000),
    price            bigint      NOT NULL CHECK (price BETWEEN 1 AND 100000000),
    currency         char(3)     NOT NULL,
    active           boolean     NOT NULL,
    units_available  integer     NOT NULL CHECK (units_available >= 0),
    stock_version    bigint      NOT NULL CHECK (stock_version >= 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- A soft delete: the product leaves listings and stays readable by id for its orders.
    deleted_at       timestamptz
);
-- Listings: a merchant's (or everyone's) listed products, newest first (ids are UUIDv7: id order is creation order).
CREATE INDEX products_listed ON products (merchant_id, id DESC) WHERE active AND deleted_at IS NULL;
CREATE INDEX products_listed_all ON products (id DESC) WHERE active AND deleted_at IS NULL;

CREATE TABLE orders (
    id              text        PRIMARY KEY CHECK (id ~ '^ord_[0-9a-f]{32}$'),
    merchant_id     text        NOT NULL REFERENCES merchants (id),
    buyer_id        uuid        NOT NULL REFERENCES users (id),
    status          text        NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'failed', 'canceled', 'refunded')),
    amount          bigint      NOT NULL CHECK (amount > 0),
    currency        char(3)     NOT NULL,
    payment_id      text,
    -- The whole order as the grain keeps it: lines with their frozen prices, the payment method, the saga's log.
    body            jsonb       NOT NULL,
    stuck           boolean     NOT NULL DEFAULT false,
    version         integer     NOT NULL CHECK (version >= 1),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX orders_buyer ON orders (buyer_id, id DESC);
CREATE INDEX orders_merchant ON orders (merchant_id, id DESC);
-- The operator queue: orders whose compensation kept failing past its limit.
CREATE INDEX orders_stuck ON orders (updated_at) WHERE stuck;

-- Every change to an order, in order: its state can be rebuilt from these.
CREATE TABLE order_events (
    order_id    text        NOT NULL REFERENCES orders (id),
    sequence    integer     NOT NULL CHECK (sequence >= 1),
    type        text        NOT NULL,
    actor       text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (order_id, sequence)
);

-- Who did what to which resource, with the old and new values where they matter. Append-only: written in the same
-- transaction as the change it records, never updated or deleted.
CREATE TABLE audit_log (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id    text        REFERENCES merchants (id),
    actor          text        NOT NULL,
    action         text        NOT NULL,
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    old_value      jsonb,
    new_value      jsonb,
    created_at     timestamptz NOT NULL
);
CREATE INDEX audit_log_merchant ON audit_log (merchant_id, id DESC);
CREATE INDEX audit_log_resource ON audit_log (resource_id, id DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- The simulated fulfilment service: one license per order (a retried delivery gets the same key), revocable.
CREATE SCHEMA fulfilment_simulator;

CREATE TABLE fulfilment_simulator.licenses (
    order_id     text        PRIMARY KEY,
    license_key  text        NOT NULL,
    issued_at    timestamptz NOT NULL,
    revoked_at   timestamptz
);
