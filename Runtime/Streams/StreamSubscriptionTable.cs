using Npgsql;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>Explicit subscriptions: which grains receive a stream besides its implicit subscribers. Persisted, so they survive restarts.</summary>
public sealed class StreamSubscriptionTable(NpgsqlDataSource dataSource)
{
    /// <summary>Subscribes <paramref name="grain"/> to <paramref name="stream"/>; subscribing twice is one subscription.</summary>
    public async Task SubscribeAsync(StreamId stream, GrainId grain, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO stream_subscriptions (stream_namespace, stream_key, grain_type, grain_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        AddKey(command, stream, grain);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a subscription; false if there was none. Events already read by a pump may still arrive.</summary>
    public async Task<bool> UnsubscribeAsync(StreamId stream, GrainId grain, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM stream_subscriptions WHERE stream_namespace = $1 AND stream_key = $2 AND grain_type = $3 AND grain_key = $4");
        AddKey(command, stream, grain);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static void AddKey(NpgsqlCommand command, StreamId stream, GrainId grain)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream.Namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stream.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key });
    }
}
