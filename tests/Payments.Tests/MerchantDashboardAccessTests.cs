using System.Net;
using Xunit;

namespace Payments.Tests;

/// <summary>The dashboard reads (listings, a payment and its events, balance, analytics) with the owner's session as well as with an API key, and never across merchants.</summary>
public sealed class MerchantDashboardAccessTests() : ApiTest("merchant-dashboard")
{
    private MerchantClient Merchants => new(Api);

    [Fact]
    public async Task The_owner_reads_the_dashboard_with_a_session_naming_the_merchant()
    {
        var (owner, merchantId, key) = await Merchants.MerchantAsync("dash_owner");
        var paymentId = (await Merchants.PayAsync(key, 2_500, "dash-1", description: "Red kettle")).Json["id"]!.GetValue<string>();

        var listed = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?merchant={merchantId}", owner);
        Assert.True(listed.Status == HttpStatusCode.OK, listed.Body);
        Assert.Equal(paymentId, Assert.Single(listed.Json["data"]!.AsArray())!["id"]!.GetValue<string>());

        var payment = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{paymentId}?merchant={merchantId}", owner);
        Assert.Equal("succeeded", payment.Json["status"]!.GetValue<string>());
        var events = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{paymentId}/events?merchant={merchantId}", owner);
        Assert.Contains(events.Json["data"]!.AsArray(), item => item!["type"]!.GetValue<string>() == "payment.succeeded");

        var balance = await Api.SendAsync(HttpMethod.Get, $"/v1/balance?merchant={merchantId}", owner);
        Assert.True(balance.Status == HttpStatusCode.OK, balance.Body);
        Assert.Equal((await Merchants.BalanceAsync(key)).Pending, balance.Json["pending"]![0]!["amount"]!.GetValue<long>());

        var summary = await Api.SendAsync(HttpMethod.Get, $"/v1/analytics/summary?merchant={merchantId}", owner);
        Assert.True(summary.Status == HttpStatusCode.OK, summary.Body);

        // An API key may name its own merchant, or leave it out.
        var byKey = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?merchant={merchantId}", key);
        Assert.Equal(listed.Json["data"]!.ToJsonString(), byKey.Json["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Nobody_reads_a_merchant_they_do_not_own_or_a_merchant_another_key_belongs_to()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("dash_victim");
        var paymentId = (await Merchants.PayAsync(key, 1_200, "dash-v")).Json["id"]!.GetValue<string>();
        var (stranger, strangerMerchant, strangerKey) = await Merchants.MerchantAsync("dash_stranger");

        foreach (var path in new[] { "/v1/payments", $"/v1/payments/{paymentId}", $"/v1/payments/{paymentId}/events", "/v1/balance", "/v1/analytics/summary" })
        {
            var bySession = await Api.SendAsync(HttpMethod.Get, $"{path}?merchant={merchantId}", stranger);
            Assert.True(bySession.Status == HttpStatusCode.NotFound, $"{path}: {bySession.Body}");
            Assert.Equal(("NOT_FOUND", "merchant"), (bySession.Json["code"]!.GetValue<string>(), bySession.Json["field"]!.GetValue<string>()));

            var byOtherKey = await Api.SendAsync(HttpMethod.Get, $"{path}?merchant={merchantId}", strangerKey);
            Assert.True(byOtherKey.Status == HttpStatusCode.NotFound, $"{path}: {byOtherKey.Body}");

            var unnamed = await Api.SendAsync(HttpMethod.Get, path, stranger);
            Assert.True(unnamed.Status == HttpStatusCode.BadRequest, $"{path}: {unnamed.Body}");
            Assert.Equal(("VALIDATION_ERROR", "merchant"), (unnamed.Json["code"]!.GetValue<string>(), unnamed.Json["field"]!.GetValue<string>()));

            var anonymous = await Api.SendAsync(HttpMethod.Get, $"{path}?merchant={merchantId}", null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        }

        // The stranger's own merchant answers, and shows none of the victim's payments.
        var own = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?merchant={strangerMerchant}", stranger);
        Assert.Empty(own.Json["data"]!.AsArray());
        var foreign = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{paymentId}?merchant={strangerMerchant}", stranger);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
    }

    [Fact]
    public async Task The_owners_session_moves_its_merchants_payments_from_the_dashboard_but_never_takes_payments()
    {
        var (owner, merchantId, key) = await Merchants.MerchantAsync("dash_moves");
        var paymentId = await Merchants.AuthorizeAsync(key, 800);

        // Taking a payment stays an API key's job; moving one needs the merchant named, as dashboard reads do.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Merchants.PayAsync(owner, 500, "dash-session-pay")).Status);
        Assert.Equal("VALIDATION_ERROR", (await Merchants.CaptureAsync(owner, paymentId)).Code);
        Assert.Equal("VALIDATION_ERROR", (await Merchants.RefundAsync(owner, paymentId)).Code);
        Assert.Equal("requires_capture", (await Merchants.GetAsync(key, paymentId))["status"]!.GetValue<string>());

        var captured = await Api.SendAsync(HttpMethod.Post, $"/v1/payments/{paymentId}/capture?merchant={merchantId}", owner, new { amount = 600 }, Guid.NewGuid().ToString());
        Assert.True(captured.Status == HttpStatusCode.Created, captured.Body);
        var refunded = await Api.SendAsync(HttpMethod.Post, $"/v1/refunds?merchant={merchantId}", owner, new { payment = paymentId, amount = 250 }, Guid.NewGuid().ToString());
        Assert.True(refunded.Status == HttpStatusCode.Created, refunded.Body);
        var payment = await Merchants.GetAsync(key, paymentId);
        Assert.Equal((600L, 250L), (payment["amountCaptured"]!.GetValue<long>(), payment["amountRefunded"]!.GetValue<long>()));

        // The payment's history names the owner, not an API key, as who captured and refunded.
        var events = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{paymentId}/events?merchant={merchantId}", owner);
        var actors = events.Json["data"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() is "payment.captured" or "payment.refunded").Select(e => e!["actor"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, actors.Length);
        Assert.All(actors, actor => Assert.StartsWith("user:", actor, StringComparison.Ordinal));
        await Merchants.AssertLedgerBalancedAsync();
    }
}
