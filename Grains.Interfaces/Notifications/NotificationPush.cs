namespace Payments.Grains.Interfaces.Notifications;

/// <summary>
/// How stored notifications reach the front ends: a PostgreSQL NOTIFY on <see cref="Channel"/>, sent in the
/// transaction that stores them, with the payload "user id, newline, message JSON as clients receive it".
/// </summary>
public static class NotificationPush
{
    public const string Channel = "notifications";
}
