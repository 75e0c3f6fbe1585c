using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Interfaces.SocialNotifications;

/// <summary>The data of a feed_item notification: someone liked or commented on a transfer the recipient took part in.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedActivity(string TransferId, string Kind, UserProfile By, string? Text);

public static class FeedActivityKinds
{
    public const string Like = "like";
    public const string Comment = "comment";
}
