using System.Net;
using System.Text.Json.Nodes;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The card wallet's API over raw HTTP: devices, cards, in-app payments, and the networks' failure injection.</summary>
public sealed class CardWalletClient(ApiClient api)
{
    public const string Visa = "4242424242424242";
    public const string Mastercard = "5555555555554444";
    public const string VisaNeedsCode = "4000000000003220";
    public const string VisaDeclined = "4000000000000002";

    public ApiClient Api => api;

    public async Task<string> DeviceAsync(string token, string name = "Phone", string platform = "ios")
    {
        var created = await api.SendAsync(HttpMethod.Post, "/v1/devices", token, new { name, platform });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return created.Json["id"]!.GetValue<string>();
    }

    public Task<ApiClient.Response> ProvisionAsync(string token, string deviceId, string number = Visa, string? idempotencyKey = null, string cvc = "123", int expYear = 2030, string name = "Ana Lima") =>
        api.SendAsync(HttpMethod.Post, "/v1/cards", token, new { deviceId, number, expMonth = 12, expYear, cvc, cardholderName = name }, idempotencyKey ?? Guid.NewGuid().ToString());

    /// <summary>An active card on the device: its id and the device that can pay with it.</summary>
    public async Task<(string CardId, SimulatedDevice Device)> CardAsync(string token, string deviceId, string number = Visa)
    {
        var provisioned = await ProvisionAsync(token, deviceId, number);
        Assert.True(provisioned.Status == HttpStatusCode.Created, provisioned.Body);
        Assert.Equal("active", provisioned.Json["status"]!.GetValue<string>());
        return (provisioned.Json["id"]!.GetValue<string>(), SimulatedDevice.For(provisioned.Json["tokenReference"]!.GetValue<string>()));
    }

    public Task<ApiClient.Response> GetAsync(string token, string cardId) => api.SendAsync(HttpMethod.Get, $"/v1/cards/{cardId}", token);

    public async Task<string> StatusAsync(string token, string cardId) => (await GetAsync(token, cardId)).Json["status"]!.GetValue<string>();

    public Task<ApiClient.Response> VerifyAsync(string token, string cardId, string code, string method = "sms") =>
        api.SendAsync(HttpMethod.Post, $"/v1/cards/{cardId}/verify", token, new { method, code });

    public Task<ApiClient.Response> SuspendAsync(string token, string cardId, string? reason = null) =>
        api.SendAsync(HttpMethod.Post, $"/v1/cards/{cardId}/suspend", token, new { reason });

    public Task<ApiClient.Response> ReactivateAsync(string token, string cardId) => api.SendAsync(HttpMethod.Post, $"/v1/cards/{cardId}/reactivate", token);

    public Task<ApiClient.Response> RemoveAsync(string token, string cardId) => api.SendAsync(HttpMethod.Delete, $"/v1/cards/{cardId}", token);

    public Task<ApiClient.Response> MakeDefaultAsync(string token, string cardId) => api.SendAsync(HttpMethod.Post, $"/v1/cards/{cardId}/default", token);

    public async Task<JsonArray> ListAsync(string token, string? device = null) =>
        (await api.SendAsync(HttpMethod.Get, device is null ? "/v1/cards" : $"/v1/cards?device={device}", token)).Json["data"]!.AsArray();

    public async Task<List<string>> EventTypesAsync(string token, string cardId) =>
        (await api.SendAsync(HttpMethod.Get, $"/v1/cards/{cardId}/events", token)).Json["data"]!.AsArray().Select(line => line!["type"]!.GetValue<string>()).ToList();

    public Task<ApiClient.Response> ReportLostAsync(string token, string deviceId) => api.SendAsync(HttpMethod.Post, $"/v1/devices/{deviceId}/lost", token);

    public async Task SetFaultsAsync(string network, bool down = false, int latencyMs = 0, double errorRate = 0)
    {
        var set = await api.SendAsync(HttpMethod.Post, $"/v1/admin/card_networks/{network}/faults", InProcessSilo.AdminToken, new { latencyMs, errorRate, down });
        Assert.True(set.Status == HttpStatusCode.OK, set.Body);
    }

    /// <summary>A merchant's payment for the payer, confirmed in-app with the card's cryptogram (or the one given).</summary>
    public async Task<(string PaymentId, ApiClient.Response Confirmed)> PayInAppAsync(
        string apiKey, string merchantId, string payerToken, string payer, string cardId, SimulatedDevice device, long amount, (string Cryptogram, int Atc)? cryptogram = null)
    {
        var created = await api.SendAsync(HttpMethod.Post, "/v1/payments", apiKey, new { amount, currency = "USD", paymentMethod = new { type = "wallet", user = payer } }, Guid.NewGuid().ToString());
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var paymentId = created.Json["id"]!.GetValue<string>();
        return (paymentId, await ConfirmAsync(payerToken, paymentId, cardId, cryptogram ?? device.Pay(amount, "USD", merchantId)));
    }

    public Task<ApiClient.Response> ConfirmAsync(string payerToken, string paymentId, string cardId, (string Cryptogram, int Atc) cryptogram, string? idempotencyKey = null) =>
        api.SendAsync(HttpMethod.Post, $"/v1/payments/{paymentId}/confirm", payerToken, new { card = cardId, cryptogram = cryptogram.Cryptogram, atc = cryptogram.Atc }, idempotencyKey ?? Guid.NewGuid().ToString());
}
