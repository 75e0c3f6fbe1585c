using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// An authorization not captured in time is voided by its merchant's sweep, also when the silo that made it is gone, and
/// cannot be captured once expired even before the sweep comes by.
/// </summary>
public sealed class MerchantPaymentExpiryTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Payments:MerchantPayments:AuthorizationLifetime"] = "00:00:04",
        ["Payments:MerchantPayments:ExpiryRetryInterval"] = "00:00:01",
    };

    [Fact]
    public async Task An_uncaptured_authorization_expires_by_its_reminder_after_a_silo_restart()
    {
        var database = await TestPostgres.CreateDatabaseAsync("merchant-expiry");
        string key, id, payerToken;
        await using (var first = await InProcessSilo.StartAsync(database, s_settings))
        {
            using var http = first.CreateClient();
            var merchants = new MerchantClient(new ApiClient(http));
            (_, _, key) = await merchants.MerchantAsync("mx_shop");
            id = await merchants.AuthorizeAsync(key, 1_500);
            (_, payerToken) = await merchants.Api.SignUpAsync("mx_payer", deposit: 5_000);
            var walletPayment = (await merchants.PayAsync(key, 2_000, "mx-wallet", "manual", new { type = "wallet", user = "mx_payer" })).Json["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.Created, (await merchants.ConfirmAsync(payerToken, walletPayment)).Status);
        }

        // The silo that authorized them is gone; the reminder fires on the next one.
        await using var second = await InProcessSilo.StartAsync(database, s_settings);
        using var http2 = second.CreateClient();
        var api = new ApiClient(http2);
        var merchants2 = new MerchantClient(api);
        await Eventually.TrueAsync(
            async () => (await api.SendAsync(HttpMethod.Get, "/v1/payments?status=canceled", key)).Json["data"]!.AsArray().Count == 2,
            TimeSpan.FromSeconds(90),
            "both authorizations expired through their reminders");

        var payment = await merchants2.GetAsync(key, id);
        Assert.Equal("expired", payment["cancellationReason"]!.GetValue<string>());
        Assert.Equal(0, payment["amountCapturable"]!.GetValue<long>());
        var events = await api.SendAsync(HttpMethod.Get, $"/v1/payments/{id}/events", key);
        Assert.Equal(["payment.authorized", "payment.expired"], events.Json["data"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("system", events.Json["data"]![1]!["actor"]!.GetValue<string>());
        var capture = await merchants2.CaptureAsync(key, id);
        Assert.Equal((HttpStatusCode.Conflict, "PAYMENT_NOT_CAPTURABLE"), (capture.Status, capture.Code));

        // The wallet's hold is released with its payment.
        var wallet = await api.WalletAsync(payerToken);
        Assert.Equal((5_000, 0), (wallet["available"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));
        await merchants2.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_capture_after_the_authorization_expired_is_refused_and_releases_it_before_the_sweep_comes()
    {
        var database = await TestPostgres.CreateDatabaseAsync("merchant-expiry-capture");
        await using var silo = await InProcessSilo.StartAsync(database, new Dictionary<string, string?>
        {
            ["Payments:MerchantPayments:AuthorizationLifetime"] = "00:00:02",
            ["Payments:MerchantPayments:ExpiryRetryInterval"] = "01:00:00", // the sweep does not come during the test
        });
        using var http = silo.CreateClient();
        var merchants = new MerchantClient(new ApiClient(http));
        var (_, _, key) = await merchants.MerchantAsync("mxc_shop");
        var id = await merchants.AuthorizeAsync(key, 1_500);
        var expiresAt = (await merchants.GetAsync(key, id))["authorizationExpiresAt"]!.GetValue<DateTimeOffset>();
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));

        var capture = await merchants.CaptureAsync(key, id);
        Assert.Equal((HttpStatusCode.Conflict, "PAYMENT_NOT_CAPTURABLE"), (capture.Status, capture.Code));
        var payment = await merchants.GetAsync(key, id);
        Assert.Equal(("canceled", "expired", 0L), (payment["status"]!.GetValue<string>(), payment["cancellationReason"]!.GetValue<string>(), payment["amountCapturable"]!.GetValue<long>()));
        await merchants.AssertLedgerBalancedAsync();
    }
}
