using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Tests;

/// <summary>The merchant side of the API over raw HTTP: merchants, keys, payments, refunds.</summary>
public sealed class MerchantClient(ApiClient api)
{
    public const string Visa = "4242424242424242";

    public ApiClient Api => api;

    /// <summary>A user owning a merchant, and one API key of it (through the typed client, which checks the document).</summary>
    public async Task<(string OwnerToken, string MerchantId, string Key)> MerchantAsync(string username, string currency = "USD")
    {
        var (_, owner) = await api.SignUpAsync(username);
        var merchantId = await api.CreateMerchantAsync(owner, $"{username} shop", currency);
        return (owner, merchantId, await api.CreateApiKeyAsync(owner, merchantId));
    }

    public static object Card(string number = Visa, int expYear = 2030, string cvc = "123") =>
        new { type = "card", number, expMonth = 12, expYear, cvc };

    public Task<ApiClient.Response> PayAsync(string key, long amount, string idempotencyKey, string captureMethod = "automatic", object? method = null, string currency = "USD", string? customerReference = null, string? description = null) =>
        api.SendAsync(HttpMethod.Post, "/v1/payments", key, new { amount, currency, captureMethod, paymentMethod = method ?? Card(), customerReference, description }, idempotencyKey);

    /// <summary>An authorized (manual capture) card payment's id.</summary>
    public async Task<string> AuthorizeAsync(string key, long amount)
    {
        var payment = await PayAsync(key, amount, Guid.NewGuid().ToString(), "manual");
        Assert.True(payment.Status == HttpStatusCode.Created, payment.Body);
        Assert.Equal("requires_capture", payment.Json["status"]!.GetValue<string>());
        return payment.Json["id"]!.GetValue<string>();
    }

    public Task<ApiClient.Response> CaptureAsync(string key, string paymentId, long? amount = null, string? idempotencyKey = null) =>
        api.SendAsync(HttpMethod.Post, $"/v1/payments/{paymentId}/capture", key, amount is null ? null : new { amount }, idempotencyKey ?? Guid.NewGuid().ToString());

    public Task<ApiClient.Response> VoidAsync(string key, string paymentId) =>
        api.SendAsync(HttpMethod.Post, $"/v1/payments/{paymentId}/void", key, null, Guid.NewGuid().ToString());

    public Task<ApiClient.Response> RefundAsync(string key, string paymentId, long? amount = null, string? idempotencyKey = null) =>
        api.SendAsync(HttpMethod.Post, "/v1/refunds", key, new { payment = paymentId, amount }, idempotencyKey ?? Guid.NewGuid().ToString());

    public Task<ApiClient.Response> ConfirmAsync(string userToken, string paymentId) =>
        api.SendAsync(HttpMethod.Post, $"/v1/payments/{paymentId}/confirm", userToken, null, Guid.NewGuid().ToString());

    public Task<JsonNode> GetAsync(string key, string paymentId) => api.PaymentAsync(key, paymentId);

    /// <summary>(pending, available) of the merchant's balance in USD.</summary>
    public async Task<(long Pending, long Available)> BalanceAsync(string key)
    {
        var balance = await api.MerchantBalanceAsync(key);
        return (balance["pending"]![0]!["amount"]!.GetValue<long>(), balance["available"]![0]!["amount"]!.GetValue<long>());
    }

    public async Task AssertLedgerBalancedAsync()
    {
        var audit = await api.AuditAsync(TestSupport.InProcessSilo.AdminToken);
        Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());
    }
}
