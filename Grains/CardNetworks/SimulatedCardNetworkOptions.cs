using Payments.Grains.Interfaces.CardWallet;

namespace Payments.Grains.CardNetworks;

/// <summary>The simulated card networks (section <c>Payments:CardNetworks:Simulated</c>).</summary>
public sealed class SimulatedCardNetworkOptions
{
    public const string SectionName = "Payments:CardNetworks:Simulated";

    /// <summary>
    /// The development default: the key the simulated networks derive each token's key from. It is the networks'
    /// secret, not the platform's: the platform never holds a token's key.
    /// </summary>
    public const string DevelopmentMasterKey = "c2ltdWxhdGVkLWNhcmQtbmV0d29yay1tYXN0ZXIta2V5LWZvci1kZXZlbG9wbWVudA==";

    /// <summary>Base64 key each token's key is derived from (HMAC-SHA256 of the token reference).</summary>
    public string MasterKey { get; set; } = DevelopmentMasterKey;

    /// <summary>Failure injection per network (visa, mastercard, amex, discover), until an operator sets it at run time.</summary>
    public Dictionary<string, NetworkFaults> Faults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a silo uses the faults it read before reading them again. Default 1 s.</summary>
    public TimeSpan FaultsRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}
