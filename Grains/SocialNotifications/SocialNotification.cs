using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.SocialNotifications;

/// <summary>Builds the outbox event that notifies <c>recipientId</c>; stores append it in the transaction of their change.</summary>
public static class SocialNotification
{
    public static OutboxMessage For<T>(string recipientId, string type, T data) =>
        OutboxMessage.Create(SocialNotificationStream.Namespace, recipientId, type, JsonSerializer.Serialize(data, PaymentsJson.Options));
}
