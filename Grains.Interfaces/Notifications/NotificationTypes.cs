namespace Payments.Grains.Interfaces.Notifications;

/// <summary>The notification types clients receive.</summary>
public static class NotificationTypes
{
    public const string PaymentReceived = "payment_received";
    public const string PaymentRequest = "payment_request";
    public const string RequestPaid = "request_paid";
    public const string RequestDeclined = "request_declined";
    public const string BalanceUpdated = "balance_updated";
    public const string FriendRequest = "friend_request";
    public const string FeedItem = "feed_item";
}
