using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Interfaces.Cards;

namespace Payments.Grains.CardNetworks;

/// <summary>
/// The card networks the wallet provisions into, one client each (simulated networks behind their own resilience
/// pipelines). <see cref="Simulated"/> gives tests and the device helper the simulated side: sent codes, device keys.
/// </summary>
public sealed class CardNetworks
{
    private readonly Dictionary<string, ICardNetwork> _clients = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedCardNetwork> _simulated = new(StringComparer.Ordinal);

    public CardNetworks(
        NpgsqlDataSource dataSource, SimulatedNetworkFaults faults, IOptions<SimulatedCardNetworkOptions> simulation, IOptions<CardNetworkResilienceOptions> resilience,
        TimeProvider time, ILogger<CardNetworks> logger)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(resilience);
        var masterKey = Convert.FromBase64String(simulation.Value.MasterKey);
        foreach (var name in CardNumber.Networks)
        {
            var simulated = new SimulatedCardNetwork(name, dataSource, faults, masterKey, time);
            _simulated[name] = simulated;
            _clients[name] = new ResilientCardNetwork(simulated, resilience.Value, time, logger);
        }
    }

    /// <summary>The network's client; the name comes from <see cref="CardNumber.BrandOf"/> or a stored card.</summary>
    public ICardNetwork For(string network) =>
        _clients.TryGetValue(network, out var client) ? client : throw new ArgumentException($"No card network {network}.", nameof(network));

    public SimulatedCardNetwork Simulated(string network) => _simulated[network];
}
