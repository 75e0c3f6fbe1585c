using System.Text.Json;
using Payments.Grains.Interfaces;

namespace Payments.Grains.Webhooks;

/// <summary>The body a webhook posts: <c>{id, type, createdAt, data}</c>, serialized once, so every attempt and resend posts the same bytes.</summary>
public static class WebhookEvents
{
    public static WebhookEvent Create<TData>(string id, string type, DateTimeOffset createdAt, TData data) =>
        new(id, type, JsonSerializer.Serialize(new { id, type, createdAt, data }, PaymentsJson.Options), createdAt);
}
