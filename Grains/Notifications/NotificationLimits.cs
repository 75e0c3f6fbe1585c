namespace Payments.Grains.Notifications;

/// <summary>Bounds of a notification, so that every one fits in a PostgreSQL NOTIFY payload (8,000 bytes) with room to spare.</summary>
public static class NotificationLimits
{
    public const int MaxTypeLength = 64;
    public const int MaxDataBytes = 4_096;
    /// <summary>The API's largest page (100) and one more, which tells it whether there is a next page.</summary>
    public const int MaxPage = 101;
}
