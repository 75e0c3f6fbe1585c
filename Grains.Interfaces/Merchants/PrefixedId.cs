using System.Buffers;
using System.Globalization;

namespace Payments.Grains.Interfaces.Merchants;

/// <summary>
/// Ids of the merchant side, Stripe-style: a type prefix and a UUIDv7 as 32 hex digits ("mer_…", "pay_…", "re_…",
/// "key_…"). The prefix says what an id names; the UUIDv7 makes id order creation order, so an id is also a page cursor.
/// A payment's creation time is its id's millisecond (<see cref="TimeOf"/>), so a time window is also a range of ids
/// (<see cref="FirstAtOrAfter"/>).
/// </summary>
public static class PrefixedId
{
    public const string Merchant = "mer_";
    public const string Payment = "pay_";
    public const string Refund = "re_";
    public const string ApiKey = "key_";
    public const string WebhookEndpoint = "we_";
    public const string WebhookDelivery = "whd_";
    public const string Event = "evt_";
    public const string Settlement = "stl_";
    public const string Payout = "po_";
    public const string Reconciliation = "rec_";
    public const string Device = "dev_";
    public const string Card = "card_";
    public const string Product = "prod_";
    public const string Order = "ord_";

    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdef");

    private static readonly string[] s_prefixes = [Merchant, Payment, Refund, ApiKey, WebhookEndpoint, WebhookDelivery, Event, Settlement, Payout, Reconciliation, Device, Card, Product, Order];

    /// <summary>The length of the longest id issued: the longest prefix and 32 hex digits.</summary>
    public static int LongestId { get; } = s_prefixes.Max(prefix => prefix.Length) + 32;

    public static string New(string prefix) => prefix + Guid.CreateVersion7().ToString("N");

    /// <summary>The millisecond an id was issued in: the first 48 bits of its UUIDv7.</summary>
    public static DateTimeOffset TimeOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var separator = id.IndexOf('_', StringComparison.Ordinal);
        return DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id.AsSpan(separator + 1, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The smallest string at or below every id of <paramref name="prefix"/> issued at or after <paramref name="instant"/>
    /// and above every id issued before it: for ids, <c>id &gt;= bound</c> is <c>TimeOf(id) &gt;= instant</c>.
    /// </summary>
    public static string FirstAtOrAfter(string prefix, DateTimeOffset instant)
    {
        var milliseconds = (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return prefix + Math.Clamp(milliseconds, 0, 0xFFFF_FFFF_FFFF).ToString("x12", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="text"/> is an id of any of the prefixes above, as issued.</summary>
    public static bool IsAnyId(string text) => s_prefixes.Any(prefix => IsValid(text, prefix));

    /// <summary>Whether <paramref name="text"/> is an id of that prefix (lowercase hex, as issued).</summary>
    public static bool IsValid(string? text, string prefix) =>
        text is not null && text.Length == prefix.Length + 32 && text.StartsWith(prefix, StringComparison.Ordinal)
        && text.AsSpan(prefix.Length).ContainsAnyExcept(s_hex) is false;
}
