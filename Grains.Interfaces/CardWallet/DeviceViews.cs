using System.Text.Json.Serialization;

namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>A user's device (phone, watch…) that cards are provisioned to. A lost device's cards are suspended.</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceView(string Id, string Name, string Platform, string Status, DateTimeOffset CreatedAt, DateTimeOffset? LostAt);

[GenerateSerializer, Immutable]
public sealed record DevicePage(IReadOnlyList<DeviceView> Data, bool HasMore);

/// <summary>
/// The answer to reporting a device lost: the device, the sessions revoked, and the cards suspended at their networks
/// so far. <c>Complete</c> is false while a network has not confirmed a suspension; the device keeps retrying (on a
/// timer, and on a reminder across restarts) until every card is suspended. The revoked sessions' keys go only to the
/// front end that asked, which stops accepting them at once; its client sees the count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LostDeviceView(
    DeviceView Device,
    int SessionsRevoked,
    IReadOnlyList<string> CardsSuspended,
    IReadOnlyList<string> CardsPending,
    bool Complete,
    [property: JsonIgnore] IReadOnlyList<string> RevokedSessionKeys);

/// <summary>The platforms a device can be.</summary>
public static class DevicePlatforms
{
    public static readonly IReadOnlyList<string> All = ["ios", "android", "watchos", "web"];
}

/// <summary>Device statuses.</summary>
public static class DeviceStatus
{
    public const string Active = "active";
    public const string Lost = "lost";
}
