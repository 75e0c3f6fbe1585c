using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Interfaces.CardWallet;

namespace Payments.Grains.CardNetworks;

/// <summary>
/// The simulated networks' injected failures, cluster-wide: what an operator set (the
/// <c>card_network_simulator.faults</c> table) over what configuration says. Each silo rereads the table at most once
/// per <see cref="SimulatedCardNetworkOptions.FaultsRefreshInterval"/>; a change made on this silo applies here at once.
/// </summary>
public sealed class SimulatedNetworkFaults(NpgsqlDataSource dataSource, IOptions<SimulatedCardNetworkOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (NetworkFaults Faults, DateTimeOffset ReadAt)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<NetworkFaults> OfAsync(string network, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(network, out var cached) && now - cached.ReadAt < options.Value.FaultsRefreshInterval)
        {
            return cached.Faults;
        }

        await using var command = dataSource.CreateCommand("SELECT latency_ms, error_rate, down FROM card_network_simulator.faults WHERE network = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = network });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var faults = await reader.ReadAsync(cancellationToken)
            ? new NetworkFaults { Latency = TimeSpan.FromMilliseconds(reader.GetInt32(0)), ErrorRate = reader.GetDouble(1), Down = reader.GetBoolean(2) }
            : options.Value.Faults.GetValueOrDefault(network) ?? NetworkFaults.None;
        _cache[network] = (faults, now);
        return faults;
    }

    public async Task SetAsync(string network, NetworkFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO card_network_simulator.faults (network, latency_ms, error_rate, down, updated_at) VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (network) DO UPDATE SET latency_ms = excluded.latency_ms, error_rate = excluded.error_rate, down = excluded.down, updated_at = now()
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = network });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)faults.Latency.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = faults.ErrorRate });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = faults.Down });
        await command.ExecuteNonQueryAsync();
        _cache[network] = (faults, time.GetUtcNow());
    }
}
