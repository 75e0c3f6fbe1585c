using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.CardWallet;

/// <summary>A card token as its grain holds it: the view, its owner, the card's fingerprint, and verification attempts.</summary>
public sealed record CardState(CardView View, string UserId, string Fingerprint, int Version, int VerificationFailures, DateTimeOffset? VerificationLockedUntil);

/// <summary>One line for a card's audit trail.</summary>
public sealed record CardChange(string Type, string Actor, IReadOnlyDictionary<string, string> Detail, DateTimeOffset At);

/// <summary>The <c>devices</c>, <c>card_tokens</c> and <c>card_events</c> tables, and the sessions bound to a device.</summary>
public sealed class CardWalletStore(NpgsqlDataSource dataSource)
{
    private const string CardColumns =
        "id, device_id, network, token_reference, last4, exp_month, exp_year, cardholder_name, kind, art, status, status_reason, is_default, created_at, updated_at, " +
        "user_id, fingerprint, version, verification_failures, verification_locked_until";

    /// <summary>Inserts the device unless the user has <paramref name="limit"/> already; false when they do.</summary>
    public async Task<bool> InsertDeviceAsync(string userId, DeviceView device, int limit)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO devices (id, user_id, name, platform, status, created_at)
            SELECT $1, $2, $3, $4, 'active', $5 WHERE (SELECT count(*) FROM devices WHERE user_id = $2) < $6
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.Id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = device.Platform });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = device.CreatedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    public async Task<List<DeviceView>> DevicesAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, platform, status, created_at, lost_at FROM devices WHERE user_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        var devices = new List<DeviceView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            devices.Add(Device(reader, 0));
        }

        return devices;
    }

    public async Task<(string UserId, DeviceView Device)?> LoadDeviceAsync(string deviceId)
    {
        await using var command = dataSource.CreateCommand("SELECT id, name, platform, status, created_at, lost_at, user_id FROM devices WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(6).ToString("D"), Device(reader, 0)) : null;
    }

    /// <summary>Marks the device lost, once: the first report's time stands.</summary>
    public async Task MarkDeviceLostAsync(string deviceId, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("UPDATE devices SET status = 'lost', lost_at = $2 WHERE id = $1 AND status = 'active'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = at.UtcDateTime });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The keys (token hashes) of the device's sessions not yet revoked.</summary>
    public async Task<List<string>> LiveSessionsAsync(string deviceId)
    {
        await using var command = dataSource.CreateCommand("SELECT token_hash FROM sessions WHERE device_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        var sessions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Add(reader.GetString(0));
        }

        return sessions;
    }

    /// <summary>The device's cards by status: (active ones, suspended ones).</summary>
    public async Task<List<(string Id, string Status, string? Reason)>> DeviceCardsAsync(string deviceId)
    {
        await using var command = dataSource.CreateCommand("SELECT id, status, status_reason FROM card_tokens WHERE device_id = $1 AND status <> 'removed' ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        var cards = new List<(string, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            cards.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return cards;
    }

    /// <summary>The id of the card with this fingerprint on the device (not removed), if any.</summary>
    public async Task<string?> CardOnDeviceAsync(string deviceId, string fingerprint)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM card_tokens WHERE device_id = $1 AND fingerprint = $2 AND status <> 'removed'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fingerprint });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>The user's chosen default funding source (<c>bank</c> or a card id), if any.</summary>
    public async Task<string?> DefaultFundingSourceAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT source FROM funding_defaults WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task SetDefaultFundingSourceAsync(string userId, string? source)
    {
        await using var command = dataSource.CreateCommand(source is null
            ? "DELETE FROM funding_defaults WHERE user_id = $1"
            : "INSERT INTO funding_defaults (user_id, source) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET source = excluded.source");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        if (source is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<string?> DefaultCardAsync(string userId)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM card_tokens WHERE user_id = $1 AND is_default");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<int> CountCardsOnDeviceAsync(string deviceId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM card_tokens WHERE device_id = $1 AND status <> 'removed'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<CardState?> LoadCardAsync(string cardId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {CardColumns} FROM card_tokens WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cardId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? State(reader) : null;
    }

    /// <summary>The user's cards but removed ones, by device and age; one device's when named.</summary>
    public async Task<List<CardView>> CardsAsync(string userId, string? deviceId)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {CardColumns} FROM card_tokens WHERE user_id = $1 AND status <> 'removed' AND ($2::text IS NULL OR device_id = $2) ORDER BY device_id, id");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        command.Parameters.Add(BatchCommands.Text(deviceId));
        var cards = new List<CardView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            cards.Add(State(reader).View);
        }

        return cards;
    }

    /// <summary>
    /// The card's row (inserted, or updated only from the version before) and its event. When the card becomes the
    /// default, the user's other default is cleared first, in the same transaction.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> SaveCommands(CardState state, CardChange change)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(change);
        var view = state.View;
        if (view.IsDefault)
        {
            yield return BatchCommands.Command(
                "UPDATE card_tokens SET is_default = false WHERE user_id = $1 AND is_default AND id <> $2",
                new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(state.UserId) }, new NpgsqlParameter<string> { TypedValue = view.Id });
        }

        // A stale version updates nothing, and the event's key (card, sequence) then fails the whole transaction.
        yield return BatchCommands.Command(
            """
            INSERT INTO card_tokens (id, user_id, device_id, network, token_reference, fingerprint, last4, exp_month, exp_year, cardholder_name, kind, art,
                                     status, status_reason, is_default, verification_failures, verification_locked_until, version, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, status_reason = excluded.status_reason, is_default = excluded.is_default,
                verification_failures = excluded.verification_failures, verification_locked_until = excluded.verification_locked_until,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE card_tokens.version = excluded.version - 1
            """,
            new NpgsqlParameter<string> { TypedValue = view.Id },
            new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(state.UserId) },
            new NpgsqlParameter<string> { TypedValue = view.DeviceId },
            new NpgsqlParameter<string> { TypedValue = view.Network },
            new NpgsqlParameter<string> { TypedValue = view.TokenReference },
            new NpgsqlParameter<string> { TypedValue = state.Fingerprint },
            new NpgsqlParameter<string> { TypedValue = view.Last4 },
            new NpgsqlParameter<int> { TypedValue = view.ExpMonth },
            new NpgsqlParameter<int> { TypedValue = view.ExpYear },
            new NpgsqlParameter<string> { TypedValue = view.CardholderName },
            new NpgsqlParameter<string> { TypedValue = view.Kind },
            new NpgsqlParameter<string> { TypedValue = view.Art },
            new NpgsqlParameter<string> { TypedValue = view.Status },
            BatchCommands.Text(view.StatusReason),
            new NpgsqlParameter<bool> { TypedValue = view.IsDefault },
            new NpgsqlParameter<int> { TypedValue = state.VerificationFailures },
            new NpgsqlParameter { Value = (object?)state.VerificationLockedUntil?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new NpgsqlParameter<int> { TypedValue = state.Version },
            new NpgsqlParameter<DateTime> { TypedValue = view.CreatedAt.UtcDateTime },
            new NpgsqlParameter<DateTime> { TypedValue = view.UpdatedAt.UtcDateTime });
        yield return BatchCommands.Command(
            "INSERT INTO card_events (card_id, sequence, type, actor, detail, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
            new NpgsqlParameter<string> { TypedValue = view.Id },
            new NpgsqlParameter<int> { TypedValue = state.Version },
            new NpgsqlParameter<string> { TypedValue = change.Type },
            new NpgsqlParameter<string> { TypedValue = change.Actor },
            new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(change.Detail, PaymentsJson.Options) },
            new NpgsqlParameter<DateTime> { TypedValue = change.At.UtcDateTime });
    }

    /// <summary>Saves a change of the card in one transaction.</summary>
    public async Task SaveAsync(CardState state, CardChange change)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var command in SaveCommands(state, change))
        {
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task<List<CardEventView>> EventsAsync(string cardId)
    {
        await using var command = dataSource.CreateCommand("SELECT sequence, type, actor, detail, created_at FROM card_events WHERE card_id = $1 ORDER BY sequence");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cardId });
        var events = new List<CardEventView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new CardEventView(
                reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3), PaymentsJson.Options)!, reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return events;
    }

    /// <summary>Merchant payments made with the card, newest first; one row more than the limit says whether more follow.</summary>
    public async Task<List<CardTransactionView>> TransactionsAsync(string cardId, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT p.id, m.name, p.amount, p.currency, p.status, p.created_at FROM merchant_payments p JOIN merchants m ON m.id = p.merchant_id
            WHERE p.card_id = $1 AND ($2::text IS NULL OR p.id < $2) ORDER BY p.id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cardId });
        command.Parameters.Add(BatchCommands.Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var transactions = new List<CardTransactionView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            transactions.Add(new CardTransactionView(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3).Trim(), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return transactions;
    }

    private static DeviceView Device(NpgsqlDataReader reader, int at) => new(
        reader.GetString(at), reader.GetString(at + 1), reader.GetString(at + 2), reader.GetString(at + 3), reader.GetFieldValue<DateTimeOffset>(at + 4),
        reader.IsDBNull(at + 5) ? null : reader.GetFieldValue<DateTimeOffset>(at + 5));

    private static CardState State(NpgsqlDataReader reader) => new(
        new CardView(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6),
            reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetBoolean(12),
            reader.GetFieldValue<DateTimeOffset>(13), reader.GetFieldValue<DateTimeOffset>(14)),
        reader.GetGuid(15).ToString("D"), reader.GetString(16), reader.GetInt32(17), reader.GetInt32(18),
        reader.IsDBNull(19) ? null : reader.GetFieldValue<DateTimeOffset>(19));
}
