-- Durable reminders: a grain asks to be called at a time (and then every period). A silo claims due rows with
-- SKIP LOCKED and moves them forward in the same statement, so each firing goes to exactly one silo.
CREATE TABLE reminders (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    name        text        NOT NULL,
    next_due    timestamptz NOT NULL,
    period_ms   bigint      NOT NULL CHECK (period_ms >= 0),
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX reminders_due ON reminders (next_due);
