using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Interfaces.Friends;

/// <summary>One of my friends and since when.</summary>
[GenerateSerializer, Immutable]
public sealed record FriendView(string Id, string Username, string DisplayName, DateTimeOffset Since);

/// <summary>Ordered by the friend's user id; <c>HasMore</c> says whether a page follows the last entry's id.</summary>
[GenerateSerializer, Immutable]
public sealed record FriendPage(IReadOnlyList<FriendView> Data, bool HasMore);

/// <summary>A friend request from <c>From</c> to <c>To</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record FriendRequestView(string Id, UserProfile From, UserProfile To, string Status, DateTimeOffset CreatedAt);

/// <summary>Pending friend requests, newest first.</summary>
[GenerateSerializer, Immutable]
public sealed record FriendRequestPage(IReadOnlyList<FriendRequestView> Data, bool HasMore);

public static class FriendRequestStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
}

/// <summary>Which pending friend requests to list: those sent to me, or those I sent.</summary>
public static class FriendRequestRole
{
    public const string Received = "received";
    public const string Sent = "sent";

    public static bool IsValid(string? value) => value is Received or Sent;
}
