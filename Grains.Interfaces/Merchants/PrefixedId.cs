using System.Buffers;

namespace Payments.Grains.Interfaces.Merchants;

/// <summary>
/// Ids of the merchant side, Stripe-style: a type prefix and a UUIDv7 as 32 hex digits ("mer_…", "pay_…", "re_…",
/// "key_…"). The prefix says what an id names; the UUIDv7 makes id order creation order, so an id is also a page cursor.
/// </summary>
public static class PrefixedId
{
    public const string Merchant = "mer_";
    public const string Payment = "pay_";
    public const string Refund = "re_";
    public const string ApiKey = "key_";

    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdef");

    public static string New(string prefix) => prefix + Guid.CreateVersion7().ToString("N");

    /// <summary>Whether <paramref name="text"/> is an id of that prefix (lowercase hex, as issued).</summary>
    public static bool IsValid(string? text, string prefix) =>
        text is not null && text.Length == prefix.Length + 32 && text.StartsWith(prefix, StringComparison.Ordinal)
        && text.AsSpan(prefix.Length).ContainsAnyExcept(s_hex) is false;
}
