using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>An order's saga in a real silo process killed in the middle: the restarted cluster resumes it from its log.</summary>
public sealed class OrderSagaCrashTests
{
    [Fact]
    public async Task A_saga_killed_while_delivering_resumes_on_its_reminder_and_ends_fulfilled_with_one_capture()
    {
        using var workspace = new SiloWorkspace("silo-order-saga-");
        var settings = new Dictionary<string, string?>
        {
            // Delivery takes long enough to kill the silo in the middle of it.
            ["Payments__Fulfilment__Simulated__Latency"] = "00:00:05",
            ["Payments__Fulfilment__Resilience__AttemptTimeout"] = "00:00:30",
            ["Payments__Commerce__ResumePeriod"] = "00:00:02",
        };
        var silo = workspace.StartSilo(settings);
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var api = ApiClient.For(silo.BaseAddress);
        var shop = new CommerceClient(api);
        var (_, _, key) = await shop.MerchantAsync("crash_shop");
        var product = await shop.ProductAsync(key, "Crash course", 2_500, 4);
        var (_, buyer) = await api.SignUpAsync("crash_buyer", deposit: 10_000);

        var placing = shop.WalletOrderAsync(buyer, "crash-1", (product, 1));
        await Eventually.TrueAsync(
            async () => (await api.SendAsync(HttpMethod.Get, "/v1/orders?status=paid", buyer)).Json["data"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(30), "the order is paid and its delivery under way");
        var id = (await api.SendAsync(HttpMethod.Get, "/v1/orders", buyer)).Json["data"]![0]!["id"]!.GetValue<string>();
        await silo.KillAsync();
        await silo.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => placing);

        await using var restarted = workspace.StartSilo(settings);
        await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var api2 = ApiClient.For(restarted.BaseAddress);
        var shop2 = new CommerceClient(api2);

        // Nobody asks again: the order's reminder resumes the saga at the delivery.
        var order = await OrderSagaAssertions.EndsAsync(shop2, buyer, id, "fulfilled");
        Assert.NotNull(order["licenseKey"]);
        var events = await shop2.EventsAsync(buyer, id);
        Assert.Single(events, change => change!["type"]!.GetValue<string>() == "order.paid");
        Assert.Single(events, change => change!["type"]!.GetValue<string>() == "order.fulfilled");
        CommerceTests.AssertRebuilds(events, order);
        Assert.Equal(7_500, (await api2.WalletAsync(buyer))["balance"]!.GetValue<long>());
        var payment = await new MerchantClient(api2).GetAsync(key, order["payment"]!.GetValue<string>());
        Assert.Equal(2_500, payment["amountCaptured"]!.GetValue<long>());
        await Eventually.TrueAsync(async () => await shop2.UnitsAvailableAsync(product) == 3, TimeSpan.FromSeconds(10), "one unit sold");
        await new MerchantClient(api2).AssertLedgerBalancedAsync();
    }
}
