-- The outbox becomes an Orleans persistent stream provider (Infrastructure/Streams/OutboxQueueAdapterFactory.cs):
-- Orleans' pulling agents read the partitions, one queue per partition, and deliver to implicit subscribers only.
--
-- * One checkpoint per partition for the provider (consumer 'outbox') replaces one per consumer. Where every old
--   consumer has a checkpoint for a partition, the provider starts from the lowest of them: nothing is skipped, and
--   what a faster consumer already had is delivered again, which consumers deduplicate by event id anyway.
--   A partition some old consumer never checkpointed starts from the beginning of the outbox, as it did before.
WITH lowest AS (
    SELECT DISTINCT ON (partition) partition, transaction_id, position FROM stream_checkpoints
    ORDER BY partition, transaction_id, position),
complete AS (
    SELECT partition FROM stream_checkpoints GROUP BY partition
    HAVING count(*) = (SELECT count(DISTINCT consumer) FROM stream_checkpoints))
INSERT INTO stream_checkpoints (consumer, partition, transaction_id, position)
SELECT 'outbox', l.partition, l.transaction_id, l.position FROM lowest l JOIN complete USING (partition)
ON CONFLICT (consumer, partition) DO NOTHING;
DELETE FROM stream_checkpoints WHERE consumer <> 'outbox';

-- * Explicit subscriptions are gone: the provider runs Orleans' implicit-only pub-sub.
DROP TABLE stream_subscriptions;

-- * Nobody LISTENs any more: the pulling agents read every queue on a short period (Payments:Streams:PollInterval).
DROP TRIGGER outbox_events_notify ON outbox_events;
DROP FUNCTION outbox_events_notify();

-- * A consumer grain notes each failed delivery of a single event here (the pulling agent's failure handler only
--   learns the subscription and the event's token); when the agent gives up, the handler moves the note, with the
--   event, into stream_dead_letters. Notes of events that got through later are trimmed by the outbox janitor.
CREATE TABLE stream_delivery_failures (
    subscription_id  uuid        NOT NULL,
    event_id         uuid        NOT NULL,
    grain_type       text        NOT NULL,
    grain_key        text        NOT NULL,
    attempts         integer     NOT NULL,
    error            text        NOT NULL,
    noted_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscription_id, event_id)
);
