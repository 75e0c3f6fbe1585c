using System.Text.Json;
using Orleans.Payments.Grains.Interfaces;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.SocialNotifications;

/// <summary>Builds the outbox event that notifies <c>recipientId</c>; stores append it in the transaction of their change.</summary>
public static class SocialNotification
{
    public static OutboxMessage For<T>(string recipientId, string type, T data) =>
        OutboxMessage.Create(new StreamId(SocialNotificationStream.Namespace, recipientId), type, JsonSerializer.Serialize(data, PaymentsJson.Options));
}
