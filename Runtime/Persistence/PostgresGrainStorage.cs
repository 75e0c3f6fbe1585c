using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Orleans.Payments.Runtime.Persistence;

/// <summary>
/// Grain state in the <c>grain_state</c> table. The ETag is the row's version: an insert expects no row,
/// an update or delete expects the version the activation last saw, and anything else is a conflict.
/// </summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource) : IGrainStorage
{
    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version, payload FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3");
        AddKey(command, grainId, stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        var payload = await reader.GetFieldValueAsync<byte[]>(1, cancellationToken);
        return new StoredState(payload, FormatEtag(version));
    }

    public async Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? etag, CancellationToken cancellationToken)
    {
        await using var command = etag is null
            ? dataSource.CreateCommand(
                """
                INSERT INTO grain_state (grain_type, grain_key, state_name, version, payload)
                VALUES ($1, $2, $3, 1, $4)
                ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
                RETURNING version
                """)
            : dataSource.CreateCommand(
                """
                UPDATE grain_state SET version = version + 1, payload = $4, updated_at = now()
                WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $5
                RETURNING version
                """);
        AddKey(command, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (etag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ParseEtag(etag) });
        }

        var newVersion = await command.ExecuteScalarAsync(cancellationToken);
        if (newVersion is long version)
        {
            return FormatEtag(version);
        }

        throw await ConflictAsync("write", grainId, stateName, etag, cancellationToken);
    }

    public async Task ClearAsync(GrainId grainId, string stateName, string? etag, CancellationToken cancellationToken)
    {
        if (etag is null)
        {
            // Nothing to delete as far as this activation knows; a record someone else wrote is a conflict.
            var stored = await ReadAsync(grainId, stateName, cancellationToken);
            if (stored is not null)
            {
                throw Conflict("clear", grainId, stateName, null, stored.Value.Etag);
            }

            return;
        }

        await using var command = dataSource.CreateCommand(
            "DELETE FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = $3 AND version = $4");
        AddKey(command, grainId, stateName);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ParseEtag(etag) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw await ConflictAsync("clear", grainId, stateName, etag, cancellationToken);
        }
    }

    private async Task<InconsistentStateException> ConflictAsync(string operation, GrainId grainId, string stateName, string? etag, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(grainId, stateName, cancellationToken);
        return Conflict(operation, grainId, stateName, etag, stored?.Etag);
    }

    private static InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? etag, string? storedEtag) =>
        new($"State '{stateName}' of {grainId}: {operation} expected version {etag ?? "none"} but storage has {storedEtag ?? "none"}; another activation changed it. Reload the state and retry.",
            storedEtag, etag);

    private static void AddKey(NpgsqlCommand command, GrainId grainId, string stateName)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
    }

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new ArgumentException($"'{etag}' is not an ETag issued by this storage.", nameof(etag));
}
