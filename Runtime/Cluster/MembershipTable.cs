using Npgsql;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// The membership table in PostgreSQL. Changes of status are compare-and-swap on the cluster's version row: a
/// writer names the version it read, and loses (returns false) if anyone changed membership since.
/// </summary>
public sealed class MembershipTable(NpgsqlDataSource dataSource)
{
    public async Task<MembershipSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO cluster_versions (cluster_id, version) VALUES ($1, 0) ON CONFLICT DO NOTHING") { Parameters = { new NpgsqlParameter<string> { TypedValue = clusterId } } },
                new NpgsqlBatchCommand("SELECT version, now() FROM cluster_versions WHERE cluster_id = $1") { Parameters = { new NpgsqlParameter<string> { TypedValue = clusterId } } },
                new NpgsqlBatchCommand(
                    """
                    SELECT address, generation, status, started_at, last_heartbeat, activations
                    FROM cluster_members WHERE cluster_id = $1 ORDER BY address, generation
                    """) { Parameters = { new NpgsqlParameter<string> { TypedValue = clusterId } } },
            },
        };
        // The INSERT returns no result set, so the reader starts at the version row.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var version = reader.GetInt64(0);
        var databaseNow = reader.GetFieldValue<DateTimeOffset>(1);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<ClusterMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            members.Add(new ClusterMember(
                new SiloIdentity(reader.GetString(0), reader.GetInt64(1)), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5)));
        }

        return new MembershipSnapshot(version, databaseNow, members);
    }

    /// <summary>Adds the silo with the given status if membership is still at <paramref name="expectedVersion"/>.</summary>
    public Task<bool> TryInsertAsync(string clusterId, SiloIdentity silo, string status, long expectedVersion, CancellationToken cancellationToken = default) =>
        TryChangeAsync(clusterId, expectedVersion,
            """
            INSERT INTO cluster_members (cluster_id, address, generation, status, started_at, last_heartbeat)
            VALUES ($1, $2, $3, $4, now(), now())
            """, silo, status, cancellationToken);

    /// <summary>Sets a silo's status if membership is still at <paramref name="expectedVersion"/>.</summary>
    public Task<bool> TrySetStatusAsync(string clusterId, SiloIdentity silo, string status, long expectedVersion, CancellationToken cancellationToken = default) =>
        TryChangeAsync(clusterId, expectedVersion,
            "UPDATE cluster_members SET status = $4 WHERE cluster_id = $1 AND address = $2 AND generation = $3",
            silo, status, cancellationToken);

    /// <summary>Records that the silo is alive (no version change: heartbeats conflict with nothing).</summary>
    public async Task HeartbeatAsync(string clusterId, SiloIdentity silo, int activations, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE cluster_members SET last_heartbeat = now(), activations = $4 WHERE cluster_id = $1 AND address = $2 AND generation = $3");
        AddSilo(command.Parameters, clusterId, silo);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = activations });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> TryChangeAsync(string clusterId, long expectedVersion, string sql, SiloIdentity silo, string status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var bump = new NpgsqlCommand("UPDATE cluster_versions SET version = version + 1 WHERE cluster_id = $1 AND version = $2", connection, transaction))
        {
            bump.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
            bump.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expectedVersion });
            if (await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false; // Someone changed membership since we read it; reread and decide again.
            }
        }

        await using (var change = new NpgsqlCommand(sql, connection, transaction))
        {
            AddSilo(change.Parameters, clusterId, silo);
            change.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
            if (await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return false;
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void AddSilo(NpgsqlParameterCollection parameters, string clusterId, SiloIdentity silo)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = silo.Address });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = silo.Generation });
    }
}
