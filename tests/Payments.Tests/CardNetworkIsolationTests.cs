using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.CardNetworks;
using Xunit;

namespace Payments.Tests;

/// <summary>Each card network has its own circuit breaker: Visa failing opens Visa's, and Mastercard goes on.</summary>
public sealed class CardNetworkIsolationTests() : ApiTest("card-network-isolation")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:CardNetworks:Simulated:FaultsRefreshInterval"] = "00:00:00",
        ["Payments:CardNetworks:Resilience:AttemptTimeout"] = "00:00:00.300",
        ["Payments:CardNetworks:Resilience:MaxRetries"] = "0",
        ["Payments:CardNetworks:Resilience:BreakMinimumCalls"] = "4",
        ["Payments:CardNetworks:Resilience:BreakFailureRatio"] = "0.5",
        ["Payments:CardNetworks:Resilience:BreakDuration"] = "00:01:00",
    };

    [Fact]
    public async Task An_open_Visa_breaker_answers_503_at_once_while_Mastercard_provisioning_and_payments_go_on()
    {
        var cards = new CardWalletClient(Api);
        var merchants = new MerchantClient(Api);
        var (_, merchantId, key) = await merchants.MerchantAsync("iso_shop");
        var (_, user) = await Api.SignUpAsync("iso_user");
        var phone = await cards.DeviceAsync(user);
        var (mastercard, device) = await cards.CardAsync(user, phone, CardWalletClient.Mastercard);
        var networks = Silo.Services.GetRequiredService<CardNetworks>();
        var visa = networks.Simulated("visa");

        // Visa hangs: each call waits out the attempt timeout until the breaker has seen enough failures.
        await cards.SetFaultsAsync("visa", latencyMs: 10_000);
        for (var i = 0; i < 4; i++)
        {
            var timedOut = await cards.ProvisionAsync(user, phone, CardWalletClient.Visa);
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "NETWORK_UNAVAILABLE"), (timedOut.Status, timedOut.Code));
        }

        // Open: refused without calling Visa at all (so without waiting on its timeout), and retryable.
        var callsWhenOpened = visa.Calls;
        for (var i = 0; i < 5; i++)
        {
            var refused = await cards.ProvisionAsync(user, phone, "4000056655665556");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "NETWORK_UNAVAILABLE"), (refused.Status, refused.Code));
            Assert.True(refused.Json["retryable"]!.GetValue<bool>(), refused.Body);
        }

        Assert.Equal(callsWhenOpened, visa.Calls);

        // Mastercard is untouched: provisioning and in-app payments work, each reaching its network.
        var mastercardCalls = networks.Simulated("mastercard").Calls;
        var (second, _) = await cards.CardAsync(user, phone, "5200828282828210");
        for (var i = 0; i < 3; i++)
        {
            var (_, paid) = await cards.PayInAppAsync(key, merchantId, user, "iso_user", mastercard, device, 1_000 + i);
            Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        }

        Assert.Equal(mastercardCalls + 4, networks.Simulated("mastercard").Calls);
        Assert.Equal("active", await cards.StatusAsync(user, second));
        Assert.Equal(2, (await cards.ListAsync(user)).Count);
    }
}
