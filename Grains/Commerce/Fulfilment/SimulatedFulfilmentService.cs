using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Interfaces.Commerce;

namespace Payments.Grains.Commerce.Fulfilment;

/// <summary>Latency and failure injection for the simulated fulfilment service (section <c>Payments:Fulfilment:Simulated</c>).</summary>
public sealed class SimulatedFulfilmentOptions
{
    public const string SectionName = "Payments:Fulfilment:Simulated";

    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Share of deliveries that fail, 0..1.</summary>
    public double FailureRate { get; set; }

    /// <summary>Every delivery fails (the service cannot issue licenses); revocations still work unless <see cref="RevocationsDown"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Every revocation fails.</summary>
    public bool RevocationsDown { get; set; }
}

/// <summary>
/// A stand-in fulfilment service: issues a random license key per order and remembers it in its own schema
/// (<c>fulfilment_simulator</c>), so a retried delivery, also from another silo, gets the same key.
/// </summary>
public sealed class SimulatedFulfilmentService(NpgsqlDataSource dataSource, IOptionsMonitor<SimulatedFulfilmentOptions> options, TimeProvider time) : IFulfilmentService
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public async Task<string> DeliverAsync(string orderId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken)
    {
        var settings = await AnswerAsync(cancellationToken);
        if (settings.Down || (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate))
        {
            throw new FulfilmentUnavailableException("The fulfilment service failed to deliver (simulated).");
        }

        await using var command = dataSource.CreateCommand(
            """
            WITH issued AS (
                INSERT INTO fulfilment_simulator.licenses (order_id, license_key, issued_at) VALUES ($1, $2, $3)
                ON CONFLICT (order_id) DO NOTHING
                RETURNING license_key)
            SELECT license_key FROM issued
            UNION ALL
            SELECT license_key FROM fulfilment_simulator.licenses WHERE order_id = $1 AND NOT EXISTS (SELECT 1 FROM issued)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NewLicenseKey() });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime });
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task RevokeAsync(string orderId, CancellationToken cancellationToken)
    {
        if ((await AnswerAsync(cancellationToken)).RevocationsDown)
        {
            throw new FulfilmentUnavailableException("The fulfilment service failed to revoke (simulated).");
        }

        await using var command = dataSource.CreateCommand("UPDATE fulfilment_simulator.licenses SET revoked_at = $2 WHERE order_id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = time.GetUtcNow().UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Waits the simulated latency; the settings then say whether the call fails.</summary>
    private async Task<SimulatedFulfilmentOptions> AnswerAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }

        return settings;
    }

    /// <summary>Four groups of five characters, without look-alikes (0/O, 1/I).</summary>
    private static string NewLicenseKey() =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 5)));
}
