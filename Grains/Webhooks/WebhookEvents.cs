using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Grains.Interfaces;
using Payments.Grains.MerchantPayments;

namespace Payments.Grains.Webhooks;

/// <summary>The body a webhook posts: <c>{id, type, createdAt, data}</c>, serialized once, so every attempt and resend posts the same bytes.</summary>
public static class WebhookEvents
{
    public static WebhookEvent Create<TData>(string id, string type, DateTimeOffset createdAt, TData data) =>
        new(id, type, JsonSerializer.Serialize(new { id, type, createdAt, data }, PaymentsJson.Options), createdAt);

    /// <summary>The same body, around an object that is JSON already (a payment's view from its stream event).</summary>
    public static WebhookEvent CreateAroundJson(string id, string type, DateTimeOffset createdAt, string dataJson) =>
        new(id, type, JsonSerializer.Serialize(new BodyAroundJson(id, type, createdAt, dataJson), PaymentsJson.Options), createdAt);

    private sealed record BodyAroundJson(string Id, string Type, DateTimeOffset CreatedAt, [property: JsonConverter(typeof(RawJsonConverter))] string Data);
}
