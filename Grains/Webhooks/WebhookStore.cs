using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Infrastructure.Postgres;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Webhooks;

/// <summary>The webhook tables: endpoints, events, deliveries and their attempts (deploy/sql/0019_webhooks.sql).</summary>
public sealed class WebhookStore(NpgsqlDataSource dataSource, WebhookSecretProtector secrets)
{
    // A delivery id is "whd_" and 32 hex digits that start with the millisecond it was made, as PrefixedId's UUIDv7s do,
    // so ids made in SQL sort by creation like the rest and page the same way.
    private const string NewDeliveryId =
        "'whd_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 13)";

    private const string EndpointColumns =
        "id, merchant_id, url, description, enabled_events, status, disabled_reason, secret, previous_secret, previous_secret_expires_at, failing_since, created_at";

    /// <summary>Saves a new endpoint unless the merchant already has <paramref name="maxPerMerchant"/>; whether it was saved.</summary>
    public async Task<bool> CreateEndpointAsync(WebhookEndpointRow row, int maxPerMerchant)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO webhook_endpoints ({EndpointColumns}, updated_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12
            WHERE (SELECT count(*) FROM webhook_endpoints WHERE merchant_id = $2) < $13
            """);
        AddEndpoint(command.Parameters, row);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = maxPerMerchant });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<WebhookEndpointRow?> LoadEndpointAsync(string id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {EndpointColumns} FROM webhook_endpoints WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadEndpoint(reader) : null;
    }

    public async Task SaveEndpointAsync(WebhookEndpointRow row, DateTimeOffset now)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(SaveEndpointCommand(row, now));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Saves a disabled endpoint as it is (a merchant's change may come with its disabling) and ends its pending
    /// deliveries as failed, in one transaction.
    /// </summary>
    public Task DisableAsync(WebhookEndpointRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.IsEnabled)
        {
            throw new ArgumentException($"Endpoint {row.Id} is not disabled.", nameof(row));
        }

        return TransactionalBatch.ExecuteAsync(dataSource,
        [
            SaveEndpointCommand(row, now),
            Command("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = $1 AND status = 'pending'", Text(row.Id)),
        ]);
    }

    private NpgsqlBatchCommand SaveEndpointCommand(WebhookEndpointRow row, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(
            """
            UPDATE webhook_endpoints SET url = $3, description = $4, enabled_events = $5, status = $6, disabled_reason = $7, secret = $8,
                previous_secret = $9, previous_secret_expires_at = $10, failing_since = $11, updated_at = $13
            WHERE id = $1 AND merchant_id = $2
            """);
        AddEndpoint(command.Parameters, row);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
        return command;
    }

    public async Task DeleteEndpointAsync(string id)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM webhook_endpoints WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A merchant's endpoints, newest first; one more than the limit says whether more follow.</summary>
    public async Task<List<WebhookEndpointView>> ListEndpointsAsync(string merchantId, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE merchant_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var endpoints = new List<WebhookEndpointView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            endpoints.Add(ReadEndpoint(reader).View());
        }

        return endpoints;
    }

    /// <summary>
    /// Records events of a merchant and a delivery of each to every enabled endpoint that takes its type, once however
    /// often it is recorded; answers every delivery of these events still pending (new or from an earlier recording
    /// that did not get sent), by endpoint, with its body.
    /// </summary>
    public async Task<ILookup<string, PendingDelivery>> RecordEventsAsync(string merchantId, IReadOnlyList<WebhookEvent> events, DateTimeOffset now)
    {
        var ids = events.Select(item => item.Id).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        // One batch is one implicit transaction (Npgsql ends it with a single Sync): the select sees the inserts, and
        // all of it has committed once the reader is done, with no BEGIN or COMMIT round trip.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    """
                    INSERT INTO webhook_events (id, merchant_id, type, payload, created_at)
                    SELECT id, $1, type, payload, created_at FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS e (id, type, payload, created_at)
                    ON CONFLICT (id) DO NOTHING
                    """,
                    Text(merchantId), TextArray(ids), TextArray(events.Select(item => item.Type)), TextArray(events.Select(item => item.Body)),
                    new NpgsqlParameter<DateTime[]> { TypedValue = [.. events.Select(item => item.CreatedAt.UtcDateTime)] }),
                Command(
                    $"""
                    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, origin, status, next_attempt_at, created_at)
                    SELECT {NewDeliveryId}, w.id, e.id, 'event', 'pending', $3, $3
                    FROM unnest($2::text[], $4::text[]) WITH ORDINALITY AS e (id, type, n)
                    JOIN webhook_endpoints w ON w.merchant_id = $1 AND w.status = 'enabled' AND ('*' = ANY (w.enabled_events) OR e.type = ANY (w.enabled_events))
                    ORDER BY e.n, w.id
                    ON CONFLICT (endpoint_id, event_id) WHERE origin = 'event' DO NOTHING
                    """,
                    Text(merchantId), TextArray(ids), Timestamp(now), TextArray(events.Select(item => item.Type))),
                Command(
                    "SELECT id, endpoint_id, event_id, attempts, next_attempt_at FROM webhook_deliveries WHERE event_id = ANY ($1) AND origin = 'event' AND status = 'pending'",
                    TextArray(ids)),
            },
        };
        var bodies = events.ToDictionary(item => item.Id, item => item.Body, StringComparer.Ordinal);
        var pending = new List<(string Endpoint, PendingDelivery Delivery)>();
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var eventId = reader.GetString(2);
                pending.Add((reader.GetString(1), new PendingDelivery(reader.GetString(0), eventId, bodies[eventId], reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4))));
            }
        }

        return pending.ToLookup(item => item.Endpoint, item => item.Delivery);
    }

    /// <summary>A new delivery of an event already recorded, to each given endpoint (a resend or a test ping).</summary>
    public async Task<ILookup<string, string>> AddDeliveriesAsync(string eventId, IReadOnlyList<string> endpointIds, string origin, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id, origin, status, next_attempt_at, created_at)
            SELECT {NewDeliveryId}, endpoint, $1, $3, 'pending', $4, $4 FROM unnest($2::text[]) AS endpoint
            RETURNING id, endpoint_id
            """);
        command.Parameters.Add(Text(eventId));
        command.Parameters.Add(TextArray(endpointIds));
        command.Parameters.Add(Text(origin));
        command.Parameters.Add(Timestamp(now));
        var added = new List<(string Endpoint, string Delivery)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            added.Add((reader.GetString(1), reader.GetString(0)));
        }

        return added.ToLookup(item => item.Endpoint, item => item.Delivery);
    }

    public async Task RecordEventAsync(string merchantId, WebhookEvent item)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO webhook_events (id, merchant_id, type, payload, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(Text(item.Id));
        command.Parameters.Add(Text(merchantId));
        command.Parameters.Add(Text(item.Type));
        command.Parameters.Add(Text(item.Body));
        command.Parameters.Add(Timestamp(item.CreatedAt));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The event's type if it is the merchant's, and the merchant's enabled endpoints that take it.</summary>
    public async Task<(string? Type, List<string> Endpoints)> EndpointsTakingAsync(string merchantId, string eventId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT e.type, w.id FROM webhook_events e
            LEFT JOIN webhook_endpoints w ON w.merchant_id = e.merchant_id AND w.status = 'enabled' AND ('*' = ANY (w.enabled_events) OR e.type = ANY (w.enabled_events))
            WHERE e.id = $1 AND e.merchant_id = $2
            """);
        command.Parameters.Add(Text(eventId));
        command.Parameters.Add(Text(merchantId));
        string? type = null;
        var endpoints = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            type = reader.GetString(0);
            if (!reader.IsDBNull(1))
            {
                endpoints.Add(reader.GetString(1));
            }
        }

        return (type, endpoints);
    }

    /// <summary>Pending deliveries of the endpoint among <paramref name="ids"/>, or (ids null) the earliest due at most <paramref name="limit"/>.</summary>
    public async Task<List<PendingDelivery>> LoadPendingAsync(string endpointId, IReadOnlyList<string>? ids, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT d.id, d.event_id, e.payload, d.attempts, d.next_attempt_at FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.endpoint_id = $1 AND d.status = 'pending' AND ($2::text[] IS NULL OR d.id = ANY ($2))
            ORDER BY d.next_attempt_at LIMIT $3
            """);
        command.Parameters.Add(Text(endpointId));
        command.Parameters.Add(ids is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text } : TextArray(ids));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var pending = new List<PendingDelivery>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pending.Add(new PendingDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return pending;
    }

    /// <summary>
    /// Records attempts and where they leave their deliveries. Committed without waiting for the disk: an attempt lost
    /// in a crash is made again, and receivers take a webhook at least once anyway.
    /// </summary>
    public Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts) =>
        // One batch, one implicit transaction: the setting holds for it alone.
        TransactionalBatch.ExecuteAsync(dataSource,
        [
            Command("SELECT set_config('synchronous_commit', 'off', true)"),
            Command(
                """
                INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, error, response_body, attempted_at)
                SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::timestamptz[])
                ON CONFLICT (delivery_id, attempt) DO NOTHING
                """,
                TextArray(attempts.Select(item => item.DeliveryId)),
                new NpgsqlParameter<int[]> { TypedValue = [.. attempts.Select(item => item.Attempt)] },
                new NpgsqlParameter<int?[]> { TypedValue = [.. attempts.Select(item => item.Result.StatusCode)] },
                new NpgsqlParameter<int[]> { TypedValue = [.. attempts.Select(item => item.Result.LatencyMs)] },
                TextArray(attempts.Select(item => item.Result.Error)),
                TextArray(attempts.Select(item => item.Result.ResponseBody)),
                new NpgsqlParameter<DateTime[]> { TypedValue = [.. attempts.Select(item => item.AttemptedAt.UtcDateTime)] }),
            Command(
                """
                UPDATE webhook_deliveries AS d SET status = u.status, attempts = u.attempt, next_attempt_at = u.next_attempt_at
                FROM unnest($1::text[], $2::int[], $3::text[], $4::timestamptz[]) AS u (id, attempt, status, next_attempt_at)
                WHERE d.id = u.id AND d.status = 'pending' AND d.attempts < u.attempt
                """,
                TextArray(attempts.Select(item => item.DeliveryId)),
                new NpgsqlParameter<int[]> { TypedValue = [.. attempts.Select(item => item.Attempt)] },
                TextArray(attempts.Select(item => item.Status)),
                new NpgsqlParameter<DateTime?[]> { TypedValue = [.. attempts.Select(item => item.NextAttemptAt?.UtcDateTime)] }),
        ]);

    /// <summary>An endpoint's deliveries, newest first, each with its attempts; one more than the limit says whether more follow.</summary>
    public async Task<List<WebhookDeliveryView>> ListDeliveriesAsync(string endpointId, string? status, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT d.id, d.event_id, e.type, d.origin, d.status, d.next_attempt_at, d.created_at,
                   coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'statusCode', a.status_code, 'latencyMs', a.latency_ms, 'error', a.error,
                                                               'responseBody', a.response_body, 'attemptedAt', a.attempted_at) ORDER BY a.attempt)
                             FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]')
            FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
            WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.id < $3)
            ORDER BY d.id DESC LIMIT $4
            """);
        command.Parameters.Add(Text(endpointId));
        command.Parameters.Add(Text(status));
        command.Parameters.Add(Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var deliveries = new List<WebhookDeliveryView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deliveries.Add(new WebhookDeliveryView(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6),
                JsonSerializer.Deserialize<List<WebhookAttemptView>>(reader.GetString(7), PaymentsJson.Options)!));
        }

        return deliveries;
    }

    private void AddEndpoint(NpgsqlParameterCollection parameters, WebhookEndpointRow row)
    {
        parameters.Add(Text(row.Id));
        parameters.Add(Text(row.MerchantId));
        parameters.Add(Text(row.Url));
        parameters.Add(Text(row.Description));
        parameters.Add(TextArray(row.EnabledEvents));
        parameters.Add(Text(row.Status));
        parameters.Add(Text(row.DisabledReason));
        parameters.Add(Text(secrets.Protect(row.Id, row.Secret)));
        parameters.Add(Text(row.PreviousSecret is { } previous ? secrets.Protect(row.Id, previous) : null));
        parameters.Add(NullableTimestamp(row.PreviousSecretExpiresAt));
        parameters.Add(NullableTimestamp(row.FailingSince));
        parameters.Add(Timestamp(row.CreatedAt));
    }

    private WebhookEndpointRow ReadEndpoint(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<string[]>(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), secrets.Unprotect(reader.GetString(0), reader.GetString(7)),
        reader.IsDBNull(8) ? null : secrets.Unprotect(reader.GetString(0), reader.GetString(8)), reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11));

    private static NpgsqlParameter<string?[]> TextArray(IEnumerable<string?> texts) => new() { TypedValue = [.. texts], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter<DateTime> Timestamp(DateTimeOffset instant) => new() { TypedValue = instant.UtcDateTime };

    private static NpgsqlParameter NullableTimestamp(DateTimeOffset? instant) =>
        new() { Value = instant is { } value ? value.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}
