-- Grain state: one row per (grain, state name). The version is the ETag: every write must name the
-- version it read, so two activations of one grain can never silently overwrite each other.
CREATE TABLE grain_state (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    state_name  text        NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    payload     jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain_type, grain_key, state_name)
);
