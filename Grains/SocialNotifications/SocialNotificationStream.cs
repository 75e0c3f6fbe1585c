namespace Payments.Grains.SocialNotifications;

/// <summary>The stream of notifications for one user (key: user id): event type = notification type, payload = its data.</summary>
public static class SocialNotificationStream
{
    public const string Namespace = "social-notifications";
}
