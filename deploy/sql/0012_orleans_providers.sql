-- Orleans 10.4.2 ADO.NET providers (Clustering.AdoNet, Reminders.AdoNet, Persistence.AdoNet, invariant "Npgsql")
-- replace the stand-in runtime's membership, reminder and grain state tables.
--
-- The providers issue no SQL of their own: at start each runs `SELECT QueryKey, QueryText FROM OrleansQuery` and then
-- executes those texts with named parameters (@DeploymentId, @Version, ...), reading result columns by name
-- (case-insensitively, so unquoted aliases suffice). The contract is therefore: the key set, the parameter names, the
-- result column names and types, and "exactly one row" where the provider takes First()/Single(). Table and column
-- names below are ours; only orleansquery(querykey, querytext) is fixed, by that hard-coded lookup.
--
-- Types follow what the 10.4.2 provider sends and reads: versions/ETags are int32 (it int.Parse()s ETags and binds
-- @Version/@GrainStateVersion as int), ports/generation/status/hashes are int32 (hashes are uints cast to int, so they
-- can be negative), reminder periods are read with GetInt64, and DateTimes arrive as UTC. Every write query is one
-- statement (data-modifying CTEs), so a compare-and-swap and the change it guards commit or fail together without
-- helper functions.
--
-- Existing rows are not carried over: Orleans keys grains by GrainId strings and hashes it computes in .NET, and
-- stores state in its own serialization, so old rows could not be found by the providers anyway.

DROP TABLE grain_state;
DROP TABLE cluster_members;
DROP TABLE cluster_versions;
DROP TABLE reminders;   -- takes reminders_due with it

CREATE TABLE orleansquery (
    querykey   varchar(64) PRIMARY KEY,
    querytext  text        NOT NULL
);

-- ---------------------------------------------------------------------------------------------------------------
-- Clustering. One version row per cluster (DeploymentId = ClusterOptions.ClusterId); every membership change must
-- name the version it read and bumps it, so concurrent changes from two silos cannot both win. I-am-alive updates
-- touch only the member row (frequent, and they conflict with nothing).
CREATE TABLE orleans_membership_versions (
    deployment_id  varchar(150) PRIMARY KEY,
    version        integer      NOT NULL DEFAULT 0,
    changed_at     timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE orleans_membership (
    deployment_id   varchar(150) NOT NULL REFERENCES orleans_membership_versions ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,   -- Orleans SiloStatus: 3 Active, 6 Dead, ...
    proxy_port      integer      NOT NULL,   -- gateway port, 0 when the silo is no gateway
    suspect_times   text,                    -- "silo,time|silo,time", written and parsed by Orleans
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Answers 1 if this call created the cluster's version row, 0 if it existed (always one row: the provider reads it).
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_versions (deployment_id) VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created
$q$),

-- A silo announces itself: the version bump and the insert happen together or not at all. The version row's lock
-- serializes racing callers; a caller with a stale @Version (or for a silo already listed) changes nothing and gets 0.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_versions v SET version = v.version + 1, changed_at = now()
    WHERE v.deployment_id = @DeploymentId AND v.version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleans_membership m
                      WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                        AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id),
inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT count(*)::integer FROM inserted
$q$),

-- Status/suspicion changes, under the same version compare-and-swap. 1 if applied, 0 if the version was stale.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_versions v SET version = v.version + 1, changed_at = now()
    WHERE v.deployment_id = @DeploymentId AND v.version = @Version
      AND EXISTS (SELECT 1 FROM orleans_membership m
                  WHERE m.deployment_id = @DeploymentId AND m.address = @Address
                    AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id),
updated AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address
      AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*)::integer FROM updated
$q$),

-- Heartbeat: no version bump, result not read.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Both reads start from the version row (outer join) so the provider always gets the table version, also when no
-- member matches; a row without start_time means "no member".
('MembershipReadRowKey', $q$
SELECT m.address AS Address, m.port AS Port, m.generation AS Generation, m.silo_name AS SiloName,
       m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
FROM orleans_membership_versions v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT m.address AS Address, m.port AS Port, m.generation AS Generation, m.silo_name AS SiloName,
       m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime, v.version AS Version
FROM orleans_membership_versions v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- Clients find gateways here (@Status is Active).
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Removes a whole cluster; members go with their version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_versions WHERE deployment_id = @DeploymentId
$q$),

-- Sweeping old incarnations (MembershipTableCleanupAgent). The 10.4.2 provider uses the optional per-silo key below
-- when it exists: it reads all rows, picks Dead ones whose start, last heartbeat and suspicions are all older than
-- the cutoff, and deletes each one only if it still is that Dead incarnation with those times (a row that changed
-- since the read is left for the next sweep). @SuspectTimes is sent too but not compared: votes on a Dead row no
-- longer change, and matching text that Orleans parsed and re-encoded could only make the delete miss.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
$q$),

-- Required by the provider at start, used only without the key above: the same rule in one statement (Dead, and
-- no sign of life since @IAmAliveTime, the cutoff). No version bump: dead rows matter to nobody's compare-and-swap.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = 6
  AND start_time < @IAmAliveTime AND i_am_alive_time < @IAmAliveTime
$q$);

-- ---------------------------------------------------------------------------------------------------------------
-- Reminders. The 10.4.2 provider sends ServiceId, GrainId, ReminderName, StartTime, Period (int or bigint
-- milliseconds), GrainHash and Version, and reads GrainId, ReminderName, StartTime, Period, Version. Nothing else
-- (in particular no cron columns, which only newer Orleans scripts have).
CREATE TABLE orleans_reminders (
    service_id     varchar(150) NOT NULL,
    grain_id       text         NOT NULL,
    reminder_name  text         NOT NULL,
    start_time     timestamptz  NOT NULL,
    period_ms      bigint       NOT NULL,
    grain_hash     integer      NOT NULL,   -- GrainId.GetUniformHashCode() cast to int; ring ranges compare it signed
    version        integer      NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
-- Each silo loads the reminders of its ring range at start and whenever the ring changes.
CREATE INDEX orleans_reminders_range ON orleans_reminders (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Register or move a reminder; the answer is its new ETag (version), one row.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
    SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
        version = r.version + 1
RETURNING r.version AS Version
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period,
       version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period,
       version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- Ring range (BeginHash, EndHash] that does not wrap (the provider picks this key when begin < end as signed ints)...
('ReadRangeRows1Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period,
       version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- ...and one that wraps around the end of the int range.
('ReadRangeRows2Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period,
       version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Unregister only the version the caller saw; 1 if deleted, 0 otherwise (one row always).
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*)::integer FROM deleted
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$);

-- ---------------------------------------------------------------------------------------------------------------
-- Grain storage. A grain is (service, grain type, N0, N1, key string): N0/N1 hold a Guid or integer key, the key
-- string a string key or a key extension (NULL when there is none, hence NULLS NOT DISTINCT, PostgreSQL 15+).
-- The provider also sends hashes of the grain id and type; they are kept for diagnosis but the queries match on the
-- identity itself, so a change of hash function cannot hide rows. The unique index makes a second "first write" of
-- one grain (two activations, neither having read a row) lose instead of inserting a duplicate.
--
-- ETag = version. The provider decides success by comparing what a query returns with the ETag it sent: the new
-- version means written; NULL, nothing, or the same value means conflict, and it throws InconsistentStateException.
CREATE TABLE orleans_grain_state (
    service_id          varchar(150) NOT NULL,
    grain_type          text         NOT NULL,
    grain_id_n0         bigint       NOT NULL,
    grain_id_n1         bigint       NOT NULL,
    grain_key_string    text,
    grain_id_hash       integer      NOT NULL,
    grain_type_hash     integer      NOT NULL,
    payload             bytea,                   -- NULL after a clear that keeps the row (and its version)
    version             integer      NOT NULL,
    modified_at         timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orleans_grain_state_identity
        UNIQUE NULLS NOT DISTINCT (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key_string)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
FROM orleans_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key_string IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- Always exactly one row: with an ETag, update that version; without one, insert a first version 1 unless the grain
-- already has a row. Anything else yields NULL, which the provider reports as a version conflict (a missing row would
-- be taken for success when no ETag was sent).
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now(),
        grain_id_hash = @GrainIdHash, grain_type_hash = @GrainTypeHash
    WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_key_string IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING version),
inserted AS (
    INSERT INTO orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key_string,
                                     grain_id_hash, grain_type_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleans_grain_state_identity DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted) AS NewGrainStateVersion
$q$),

-- ClearStateAsync with DeleteStateOnClear = false (the default): keep the row, drop the payload, bump the version.
-- No row comes back on a stale ETag, which the provider reports as a conflict.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE version = @GrainStateVersion
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key_string IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version AS NewGrainStateVersion
$q$),

-- ClearStateAsync with DeleteStateOnClear = true: delete the row. The provider wants a value different from the
-- ETag it sent on success, hence version + 1.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE version = @GrainStateVersion
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_key_string IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING version + 1 AS NewGrainStateVersion
$q$);
