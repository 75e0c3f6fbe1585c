using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>
/// The cryptogram a device makes for an in-app payment, and its network checks: the base64 HMAC-SHA256, under the
/// token's key (which the network gave the device at provisioning), of
/// <c>tokenReference|atc|amount|currency|merchantId</c>. Any change to the amount, the currency or the merchant
/// gives another cryptogram; the application transaction counter (ATC) makes each one single-use at the network.
/// </summary>
public static class TokenCryptogram
{
    public static string Compute(byte[] tokenKey, string tokenReference, int atc, long amount, string currency, string merchantId)
    {
        ArgumentNullException.ThrowIfNull(tokenKey);
        var message = string.Join('|', tokenReference, atc.ToString(CultureInfo.InvariantCulture), amount.ToString(CultureInfo.InvariantCulture), currency, merchantId);
        return Convert.ToBase64String(HMACSHA256.HashData(tokenKey, Encoding.UTF8.GetBytes(message)));
    }

    /// <summary>Compares in constant time, so the check leaks nothing of the expected value.</summary>
    public static bool Matches(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented));
}
