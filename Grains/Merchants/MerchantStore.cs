using System.Text.Json;
using Npgsql;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Ledger;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Merchants;

/// <summary>The <c>merchants</c> and <c>api_keys</c> tables, and merchants' ledger accounts.</summary>
public sealed class MerchantStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Inserts the merchant with its pending and available accounts, and the card clearing, fee and bank accounts of
    /// its currency if this is the first merchant to use it, in one transaction.
    /// </summary>
    public Task CreateAsync(string ownerId, MerchantView merchant)
    {
        var currency = merchant.DefaultCurrency;
        return TransactionalBatch.ExecuteAsync(dataSource,
        [
            Command(
                "INSERT INTO merchants (id, owner_id, name, country, default_currency, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                merchant.Id, Guid.Parse(ownerId), merchant.Name, merchant.Country, currency, merchant.CreatedAt.UtcDateTime),
            Command(
                "INSERT INTO accounts (id, kind, merchant_id, currency) VALUES ($1, 'merchant', $3, $4), ($2, 'merchant', $3, $4)",
                LedgerAccounts.MerchantPending(merchant.Id, currency), LedgerAccounts.MerchantAvailable(merchant.Id, currency), merchant.Id, currency),
            Command(
                "INSERT INTO accounts (id, kind, currency) VALUES ($1, 'system', $4), ($2, 'system', $4), ($3, 'system', $4) ON CONFLICT (id) DO NOTHING",
                LedgerAccounts.CardClearing(currency), LedgerAccounts.Fees(currency), LedgerAccounts.Bank(currency), currency),
        ]);
    }

    public async Task<(string OwnerId, MerchantView Merchant)?> LoadAsync(string merchantId)
    {
        await using var command = dataSource.CreateCommand("SELECT owner_id, name, country, default_currency, created_at, fraud_settings FROM merchants WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.GetGuid(0).ToString(), new MerchantView(merchantId, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), Settings(reader.GetString(5))))
            : null;
    }

    public async Task SetFraudSettingsAsync(string merchantId, FraudSettings settings)
    {
        await using var command = dataSource.CreateCommand("UPDATE merchants SET fraud_settings = $2::jsonb WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(settings, PaymentsJson.Options) });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A user's merchants, newest first; one row more than the limit says whether more follow.</summary>
    public async Task<List<MerchantView>> ListByOwnerAsync(string ownerId, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, name, country, default_currency, created_at, fraud_settings FROM merchants
            WHERE owner_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(ownerId) });
        command.Parameters.Add(BatchCommands.Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var merchants = new List<MerchantView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            merchants.Add(new MerchantView(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), Settings(reader.GetString(5))));
        }

        return merchants;
    }

    public async Task InsertApiKeyAsync(string merchantId, ApiKeyView key, byte[] secretHash)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_keys (id, merchant_id, prefix, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Prefix });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secretHash });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = key.CreatedAt.UtcDateTime });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<ApiKeyView>> ListApiKeysAsync(string merchantId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, prefix, created_at, expires_at, revoked_at FROM api_keys WHERE merchant_id = $1 ORDER BY id DESC");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        var keys = new List<ApiKeyView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(new ApiKeyView(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return keys;
    }

    /// <summary>Revokes now, or (with <paramref name="expiresAt"/>) lets the key lapse then; an earlier end stands.</summary>
    public async Task EndApiKeyAsync(string keyId, DateTimeOffset? revokedAt, DateTimeOffset? expiresAt)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2),
                expires_at = CASE WHEN $3::timestamptz IS NULL THEN expires_at ELSE least(coalesce(expires_at, $3), $3) END
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)revokedAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)expiresAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The key with that prefix: its merchant, id, secret hash and end, if any.</summary>
    public async Task<StoredApiKey?> LoadApiKeyAsync(string prefix)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT merchant_id, id, secret_hash, expires_at, revoked_at FROM api_keys WHERE prefix = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        DateTimeOffset? expiresAt = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3);
        DateTimeOffset? revokedAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4);
        var end = revokedAt is { } revoked && (expiresAt is null || revoked < expiresAt) ? revoked : expiresAt;
        return new StoredApiKey(new ApiKeyIdentity(reader.GetString(0), reader.GetString(1)), (byte[])reader.GetValue(2), end);
    }

    /// <summary>The balances of the merchant's accounts: (currency, pending, available).</summary>
    public async Task<List<(string Currency, long Pending, long Available)>> BalancesAsync(string merchantId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT currency, coalesce(sum(balance) FILTER (WHERE id LIKE '%:pending'), 0)::bigint, coalesce(sum(balance) FILTER (WHERE id LIKE '%:available'), 0)::bigint
            FROM accounts WHERE merchant_id = $1 GROUP BY currency ORDER BY currency
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        var balances = new List<(string, long, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            balances.Add((reader.GetString(0).Trim(), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return balances;
    }

    /// <summary>The stored settings; the empty object the column defaults to means the platform's defaults.</summary>
    private static FraudSettings Settings(string json) =>
        json == "{}" ? FraudSettings.Default : JsonSerializer.Deserialize<FraudSettings>(json, PaymentsJson.Options) ?? FraudSettings.Default;

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

/// <summary>An API key's row: who it acts for, its secret's hash, and when it stops (revoked or expired), if it does.</summary>
public sealed record StoredApiKey(ApiKeyIdentity Identity, byte[] SecretHash, DateTimeOffset? EndsAt);
