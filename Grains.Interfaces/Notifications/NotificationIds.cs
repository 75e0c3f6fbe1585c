using System.Security.Cryptography;
using System.Text;

namespace Payments.Grains.Interfaces.Notifications;

/// <summary>Stable notification ids: the same source event and type always give the same id.</summary>
public static class NotificationIds
{
    /// <summary>Most characters of an id (the inbox and the <c>after</c> query parameter accept no more).</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// A UUID-shaped id derived from <paramref name="sourceEventId"/> and <paramref name="type"/> (name-based, SHA-256),
    /// so every delivery of the event agrees. Ids are unique per user, so one event may notify two users with one id.
    /// </summary>
    public static string For(Guid sourceEventId, string type)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceEventId:N}/{type}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom), variant 10.
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
