using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Tests;

/// <summary>Products, orders and the audit log over raw HTTP.</summary>
public sealed class CommerceClient(ApiClient api)
{
    public ApiClient Api => api;

    /// <summary>A merchant owned by a new user, with an API key: the owner's token, the merchant's id, the key.</summary>
    public Task<(string OwnerToken, string MerchantId, string Key)> MerchantAsync(string owner) => new MerchantClient(api).MerchantAsync(owner);

    public async Task<string> ProductAsync(string apiKey, string name, long price, int units)
    {
        var created = await CreateProductAsync(apiKey, new { name, description = $"{name}, digital", price, currency = "USD", units });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return created.Json["id"]!.GetValue<string>();
    }

    public Task<ApiClient.Response> CreateProductAsync(string token, object body, string? merchant = null) =>
        api.SendAsync(HttpMethod.Post, merchant is null ? "/v1/products" : $"/v1/products?merchant={merchant}", token, body);

    public Task<ApiClient.Response> ProductAsync(string id) => api.SendAsync(HttpMethod.Get, $"/v1/products/{id}", null);

    public async Task<int> UnitsAvailableAsync(string product) => (await ProductAsync(product)).Json["unitsAvailable"]!.GetValue<int>();

    public Task<ApiClient.Response> OrderAsync(string buyerToken, string key, object paymentMethod, params (string Product, int Quantity)[] lines) =>
        api.SendAsync(HttpMethod.Post, "/v1/orders", buyerToken, new { items = lines.Select(line => new { product = line.Product, quantity = line.Quantity }), paymentMethod }, key);

    public Task<ApiClient.Response> WalletOrderAsync(string buyerToken, string key, params (string Product, int Quantity)[] lines) =>
        OrderAsync(buyerToken, key, new { type = "wallet" }, lines);

    public Task<ApiClient.Response> GetOrderAsync(string token, string orderId) => api.SendAsync(HttpMethod.Get, $"/v1/orders/{orderId}", token);

    public async Task<JsonArray> EventsAsync(string token, string orderId)
    {
        var events = await api.SendAsync(HttpMethod.Get, $"/v1/orders/{orderId}/events", token);
        Assert.True(events.Status == HttpStatusCode.OK, events.Body);
        return events.Json["data"]!.AsArray();
    }

    public async Task<JsonArray> AuditAsync(string token, string? resource = null)
    {
        var audit = await api.SendAsync(HttpMethod.Get, resource is null ? "/v1/audit" : $"/v1/audit?resource={resource}", token);
        Assert.True(audit.Status == HttpStatusCode.OK, audit.Body);
        return audit.Json["data"]!.AsArray();
    }

    /// <summary>
    /// The order as its events tell it, folded oldest first: the created order, then each event's fields. What the order
    /// grain answers must be the same.
    /// </summary>
    public static JsonObject Rebuild(JsonArray events)
    {
        var order = new JsonObject();
        foreach (var change in events)
        {
            var data = change!["data"]!.AsObject();
            if (change["type"]!.GetValue<string>() == "order.created")
            {
                order = data["order"]!.DeepClone().AsObject();
                continue;
            }

            foreach (var (field, value) in data.Where(field => field.Key is "status" or "payment" or "licenseKey" or "failure" or "stuck"))
            {
                order[field] = value?.DeepClone();
            }
        }

        return order;
    }
}
