-- Cluster membership (the design of Orleans' ADO.NET clustering): one row per silo incarnation, and a version row per
-- cluster that every membership change bumps by compare-and-swap, so two silos never apply conflicting changes.
-- Heartbeats update only last_heartbeat (no version bump): they are frequent and conflict with nothing.
CREATE TABLE cluster_versions (
    cluster_id  text    PRIMARY KEY,
    version     bigint  NOT NULL
);

CREATE TABLE cluster_members (
    cluster_id      text        NOT NULL,
    address         text        NOT NULL,
    generation      bigint      NOT NULL,
    status          text        NOT NULL CHECK (status IN ('joining', 'active', 'shutting_down', 'dead')),
    started_at      timestamptz NOT NULL,
    last_heartbeat  timestamptz NOT NULL,
    activations     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (cluster_id, address, generation)
);
