-- Durable streams over the outbox, and the notification inbox.
--
-- Identity positions are handed out at insert, but transactions commit in another order, so a reader that
-- follows "position > checkpoint" can pass over a row whose transaction commits later. Each row therefore
-- records its writing transaction; readers only take rows whose transaction is older than every transaction
-- still in flight (transaction_id < pg_snapshot_xmin(pg_current_snapshot())) and order by (transaction_id,
-- position): every row that becomes visible later has a transaction id at or above that horizon, so it sorts
-- after every checkpoint taken before it. The default keeps existing producers' inserts unchanged.
ALTER TABLE outbox_events ADD COLUMN transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_events_transaction ON outbox_events (transaction_id, position);

-- One wake-up per statement (not per row) for the silos' stream pumps; polling covers lost notifications.
CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_events', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();

-- How far each consumer (an implicit subscription, or the explicit subscriptions) has delivered each partition.
CREATE TABLE stream_checkpoints (
    consumer        text    NOT NULL,
    partition       integer NOT NULL,
    transaction_id  xid8    NOT NULL,
    position        bigint  NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, partition)
);

-- Explicit subscriptions: the grain receives every event of the stream until it unsubscribes.
CREATE TABLE stream_subscriptions (
    stream_namespace  text        NOT NULL,
    stream_key        text        NOT NULL,
    grain_type        text        NOT NULL,
    grain_key         text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_namespace, stream_key, grain_type, grain_key)
);

-- Events a subscriber kept failing on, with the last error, for operators.
CREATE TABLE stream_dead_letters (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer          text        NOT NULL,
    grain_type        text        NOT NULL,
    grain_key         text        NOT NULL,
    event_id          uuid        NOT NULL,
    stream_namespace  text        NOT NULL,
    stream_key        text        NOT NULL,
    position          bigint      NOT NULL,
    type              text        NOT NULL,
    payload           jsonb       NOT NULL,
    attempts          integer     NOT NULL,
    error             text        NOT NULL,
    failed_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consumer, grain_type, grain_key, event_id)
);

-- The notification inbox: what each user was told, in order, so a reconnecting client catches up.
-- The id is stable (derived from the source event), so a redelivered event adds no second row.
CREATE TABLE notifications (
    sequence    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     text        NOT NULL,
    id          text        NOT NULL,
    type        text        NOT NULL,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (user_id, id)
);
CREATE INDEX notifications_user_sequence ON notifications (user_id, sequence);
