using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;

namespace Payments.Grains.CardNetworks;

/// <summary>
/// One simulated card network's token service, its records in PostgreSQL (<c>card_network_simulator</c>) so every
/// silo sees the same network. Stripe's test numbers drive provisioning: 4000000000000002, …9995 and …0069 are
/// declined; 4000000000003220, 4000002500003155 and 4000002760003184 need a code (sms or email, six digits); any
/// other card becomes an active token. Debit test numbers (4000056655665556, 5200828282828210) make debit cards.
/// A token's key is derived from the network's master key and its reference: the device gets it at provisioning
/// (<see cref="DeviceKeyOf"/> stands for the channel to the device's secure element), and the platform never does.
/// </summary>
public sealed class SimulatedCardNetwork(string name, NpgsqlDataSource dataSource, SimulatedNetworkFaults faults, byte[] masterKey, TimeProvider time) : ICardNetwork
{
    private static readonly HashSet<string> s_declined = ["4000000000000002", "4000000000009995", "4000000000000069"];
    private static readonly HashSet<string> s_verified = ["4000000000003220", "4000002500003155", "4000002760003184"];
    private static readonly HashSet<string> s_debit = ["4000056655665556", "5200828282828210"];

    private long _calls;

    public string Name { get; } = name;

    /// <summary>Calls that reached this network (attempts, including failed ones).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The key the network gives the token's device: HMAC-SHA256 of the reference under the master key.</summary>
    public static byte[] DeviceKeyOf(byte[] masterKey, string tokenReference) => HMACSHA256.HashData(masterKey, Encoding.UTF8.GetBytes(tokenReference));

    /// <summary>The code a simulated network sent for a token waiting for verification (the simulated SMS or email), read from its records.</summary>
    public static async Task<string?> SentCodeAsync(NpgsqlDataSource dataSource, string tokenReference)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT verification_code FROM card_network_simulator.tokens WHERE token_reference = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenReference });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<ProvisioningAnswer> ProvisionAsync(ProvisioningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await EnterAsync(cancellationToken);
        var kind = s_debit.Contains(request.Number) ? "debit" : "credit";
        var art = $"{Name}-{kind}";
        var answer = s_declined.Contains(request.Number) ? new ProvisioningAnswer(ProvisioningAnswer.Declined, null, kind, art, "issuer_declined")
            : new ProvisioningAnswer(s_verified.Contains(request.Number) ? ProvisioningAnswer.PendingVerification : ProvisioningAnswer.Active, NewReference(), kind, art, null);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var standing = await RecordAnswerAsync(connection, transaction, request.IdempotencyKey, answer, cancellationToken);
        if (standing is not null)
        {
            return JsonSerializer.Deserialize<ProvisioningAnswer>(standing, PaymentsJson.Options)!;
        }

        if (answer.TokenReference is { } reference)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO card_network_simulator.tokens (token_reference, network, device_id, status, verification_code, created_at) VALUES ($1, $2, $3, $4, $5, now())",
                connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = reference });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.DeviceId });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = answer.Status });
            insert.Parameters.Add(new NpgsqlParameter { Value = answer.Status == ProvisioningAnswer.PendingVerification ? NewCode() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return answer;
    }

    public async Task<bool> VerifyAsync(string tokenReference, string method, string code, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE card_network_simulator.tokens SET status = 'active', verification_code = NULL
            WHERE token_reference = $1 AND ((status = 'pending_verification' AND verification_code = $2) OR status = 'active')
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenReference });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> ChangeAsync(string tokenReference, TokenChange change, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        var (target, from) = change switch
        {
            TokenChange.Suspend => ("suspended", "'active', 'suspended'"),
            TokenChange.Resume => ("active", "'active', 'suspended'"),
            _ => ("deleted", "'pending_verification', 'active', 'suspended', 'deleted'"),
        };
        await using var command = dataSource.CreateCommand($"UPDATE card_network_simulator.tokens SET status = $2 WHERE token_reference = $1 AND status IN ({from})");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenReference });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1
            ? true
            : throw new NetworkRefusedException($"The {Name} network refused to {change.ToString().ToLowerInvariant()} the token: it is unknown or deleted.");
    }

    public Task<TokenChargeAnswer> ChargeAsync(TokenCharge request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerOnceAsync(request.IdempotencyKey, (connection, transaction) => DecideAsync(connection, transaction, request, cancellationToken), cancellationToken);
    }

    public Task<TokenChargeAnswer> PullAsync(TokenFunds request, CancellationToken cancellationToken) => MoveFundsAsync(request, cancellationToken);

    public Task<TokenChargeAnswer> PushAsync(TokenFunds request, CancellationToken cancellationToken) => MoveFundsAsync(request, cancellationToken);

    /// <summary>A pull or a push: approved while the token is active, answered once per key.</summary>
    private Task<TokenChargeAnswer> MoveFundsAsync(TokenFunds request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AnswerOnceAsync(
            request.IdempotencyKey,
            async (connection, transaction) => await StatusAsync(connection, transaction, request.TokenReference, cancellationToken) == "active"
                ? new TokenChargeAnswer(true, Convert.ToHexString(RandomNumberGenerator.GetBytes(3)), null)
                : new TokenChargeAnswer(false, null, "token_inactive"),
            cancellationToken);
    }

    /// <summary>Decides and records the answer in one transaction; a key answered before gets its first answer, and nothing the decision wrote stays.</summary>
    private async Task<TokenChargeAnswer> AnswerOnceAsync(
        string idempotencyKey, Func<NpgsqlConnection, NpgsqlTransaction, Task<TokenChargeAnswer>> decide, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var answer = await decide(connection, transaction);
        var standing = await RecordAnswerAsync(connection, transaction, idempotencyKey, answer, cancellationToken);
        if (standing is not null)
        {
            // A retry of a charge answered before: the first answer, and no counter spent twice.
            await transaction.RollbackAsync(cancellationToken);
            return JsonSerializer.Deserialize<TokenChargeAnswer>(standing, PaymentsJson.Options)!;
        }

        await transaction.CommitAsync(cancellationToken);
        return answer;
    }

    private async Task<TokenChargeAnswer> DecideAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TokenCharge request, CancellationToken cancellationToken)
    {
        if (await StatusAsync(connection, transaction, request.TokenReference, cancellationToken) != "active")
        {
            return new TokenChargeAnswer(false, null, "token_inactive");
        }

        var expected = TokenCryptogram.Compute(DeviceKeyOf(masterKey, request.TokenReference), request.TokenReference, request.Atc, request.Amount, request.Currency, request.MerchantId);
        if (!TokenCryptogram.Matches(expected, request.Cryptogram))
        {
            return new TokenChargeAnswer(false, null, "invalid_cryptogram");
        }

        await using var counter = new NpgsqlCommand(
            "INSERT INTO card_network_simulator.counters (token_reference, atc) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction);
        counter.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.TokenReference });
        counter.Parameters.Add(new NpgsqlParameter<int> { TypedValue = request.Atc });
        return await counter.ExecuteNonQueryAsync(cancellationToken) == 1
            ? new TokenChargeAnswer(true, Convert.ToHexString(RandomNumberGenerator.GetBytes(3)), null)
            : new TokenChargeAnswer(false, null, "replayed_cryptogram");
    }

    private async Task<string?> StatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tokenReference, CancellationToken cancellationToken)
    {
        await using var status = new NpgsqlCommand("SELECT status FROM card_network_simulator.tokens WHERE token_reference = $1 AND network = $2", connection, transaction);
        status.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tokenReference });
        status.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
        return await status.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Records the answer under its key; when the key has one already, returns that one (and records nothing).</summary>
    private async Task<string?> RecordAnswerAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, T answer, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            WITH inserted AS (
                INSERT INTO card_network_simulator.answers (network, idempotency_key, answer, created_at) VALUES ($1, $2, $3::jsonb, now())
                ON CONFLICT (network, idempotency_key) DO NOTHING RETURNING 1)
            SELECT answer FROM card_network_simulator.answers WHERE network = $1 AND idempotency_key = $2 AND NOT EXISTS (SELECT 1 FROM inserted)
            """,
            connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(answer, PaymentsJson.Options) });
        return await insert.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Injected failures first, as a real network's would come: latency, then an outage or a random error.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var injected = await faults.OfAsync(Name, cancellationToken);
        if (injected.Latency > TimeSpan.Zero)
        {
            await Task.Delay(injected.Latency, time, cancellationToken);
        }

        if (injected.Down || (injected.ErrorRate > 0 && Random.Shared.NextDouble() < injected.ErrorRate))
        {
            throw new NetworkUnavailableException($"The simulated {Name} network failed (failure injection).");
        }
    }

    private string NewReference() => $"{Name[..2]}tok_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";

    private static string NewCode() => RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}
