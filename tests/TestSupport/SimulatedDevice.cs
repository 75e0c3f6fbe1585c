using Payments.Grains.CardNetworks;
using Payments.Grains.Interfaces.CardWallet;

namespace Payments.TestSupport;

/// <summary>
/// Plays a device's secure element for one card token: it holds the key the simulated network gave the device at
/// provisioning and counts transactions (the ATC), and makes the cryptogram of an in-app payment.
/// </summary>
public sealed class SimulatedDevice(string tokenReference, byte[] tokenKey)
{
    private int _atc;

    /// <summary>The device of a token issued by the simulated networks under <paramref name="masterKey"/> (base64; the development key when absent).</summary>
    public static SimulatedDevice For(string tokenReference, string masterKey = SimulatedCardNetworkOptions.DevelopmentMasterKey) =>
        new(tokenReference, SimulatedCardNetwork.DeviceKeyOf(Convert.FromBase64String(masterKey), tokenReference));

    /// <summary>The next counter's cryptogram over the payment's amount, currency and merchant.</summary>
    public (string Cryptogram, int Atc) Pay(long amount, string currency, string merchantId)
    {
        var atc = Interlocked.Increment(ref _atc);
        return (TokenCryptogram.Compute(tokenKey, tokenReference, atc, amount, currency, merchantId), atc);
    }
}
