using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The capture step fails every time (injected): after its attempts the saga voids the hold and releases the stock.</summary>
public sealed class OrderCaptureFailureTests() : ApiTest("order-capture-failure")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Commerce:FailSteps:0"] = "capture_payment",
        ["Payments:Commerce:StepAttempts"] = "3",
        ["Payments:Commerce:RetryDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task An_order_whose_capture_keeps_failing_ends_failed_with_the_hold_voided_and_the_stock_released()
    {
        var shop = new CommerceClient(Api);
        var (_, _, key) = await shop.MerchantAsync("cf_shop");
        var product = await shop.ProductAsync(key, "Font license", 2_000, 2);
        var (_, buyer) = await Api.SignUpAsync("cf_buyer", deposit: 5_000);

        var placed = await shop.WalletOrderAsync(buyer, "cf-1", (product, 2));
        Assert.True(placed.Status == HttpStatusCode.Created, placed.Body);
        var id = placed.Json["id"]!.GetValue<string>();
        var order = await OrderSagaAssertions.EndsAsync(shop, buyer, id, "failed");
        Assert.Equal(("SERVICE_UNAVAILABLE", "capture_payment"), (order["failure"]!["code"]!.GetValue<string>(), order["failure"]!["step"]!.GetValue<string>()));
        Assert.Equal(["reserve_stock", "authorize_payment", "capture_payment", "void_payment", "release_stock"], order["saga"]!.AsArray().Select(step => step!["step"]!.GetValue<string>()));

        var events = await shop.EventsAsync(buyer, id);
        Assert.Equal(2, events.Count(change => change!["type"]!.GetValue<string>() == "order.step_retry_scheduled"));
        CommerceTests.AssertRebuilds(events, order);
        await OrderSagaAssertions.NothingMovedAsync(Api, shop, key, buyer, 5_000, order["payment"]!.GetValue<string>(), product, 2);
    }
}

/// <summary>
/// The last step, selling the reserved units, keeps failing (injected). The license is delivered and the buyer keeps
/// it, so nothing is undone: the order waits in the operator queue with its payment captured and its units reserved.
/// </summary>
public sealed class OrderSaleFailureTests() : ApiTest("order-sale-failure")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Commerce:FailSteps:0"] = "sell_stock",
        ["Payments:Commerce:StepAttempts"] = "2",
        ["Payments:Commerce:RetryDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task An_order_whose_sale_keeps_failing_stays_delivered_and_waits_for_an_operator()
    {
        var shop = new CommerceClient(Api);
        var (_, _, key) = await shop.MerchantAsync("sf_shop");
        var product = await shop.ProductAsync(key, "Icon set", 1_200, 3);
        var (_, buyer) = await Api.SignUpAsync("sf_buyer", deposit: 3_000);

        var id = (await shop.WalletOrderAsync(buyer, "sf-1", (product, 1))).Json["id"]!.GetValue<string>();
        await Eventually.TrueAsync(
            async () => (await shop.GetOrderAsync(buyer, id)).Json["stuck"] is not null, TimeSpan.FromSeconds(20), "the sale kept failing and the order is stuck");
        var order = (await shop.GetOrderAsync(buyer, id)).Json;
        Assert.Equal(("fulfilled", "sell_stock", 2), (order["status"]!.GetValue<string>(), order["stuck"]!["step"]!.GetValue<string>(), order["stuck"]!["attempts"]!.GetValue<int>()));
        Assert.NotNull(order["licenseKey"]);
        Assert.Equal(
            [("reserve_stock", "done"), ("authorize_payment", "done"), ("capture_payment", "done"), ("fulfil", "done"), ("sell_stock", "stuck")],
            order["saga"]!.AsArray().Select(step => (step!["step"]!.GetValue<string>(), step["outcome"]!.GetValue<string>())));
        var queued = Assert.Single((await Api.SendAsync(HttpMethod.Get, "/v1/admin/orders/stuck", InProcessSilo.AdminToken)).Json["data"]!.AsArray())!;
        Assert.Equal(id, queued["id"]!.GetValue<string>());

        // The buyer paid once and the merchant has the payment; the unit is neither for sale again nor lost.
        var wallet = await Api.WalletAsync(buyer);
        Assert.Equal((1_800L, 0L), (wallet["balance"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));
        var payment = await new MerchantClient(Api).GetAsync(key, order["payment"]!.GetValue<string>());
        Assert.Equal(("succeeded", 1_200L, 0L), (payment["status"]!.GetValue<string>(), payment["amountCaptured"]!.GetValue<long>(), payment["amountRefunded"]!.GetValue<long>()));
        Assert.Equal(2, await shop.UnitsAvailableAsync(product));
        CommerceTests.AssertRebuilds(await shop.EventsAsync(buyer, id), order);
        await new MerchantClient(Api).AssertLedgerBalancedAsync();
    }
}

/// <summary>The fulfilment service is down: the saga retries, a buyer can cancel meanwhile, and out of attempts it refunds.</summary>
public sealed class OrderFulfilmentFailureTests() : ApiTest("order-fulfilment-failure")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Fulfilment:Simulated:Down"] = "true",
        ["Payments:Fulfilment:Resilience:MaxRetries"] = "0",
        ["Payments:Fulfilment:Resilience:BreakMinimumCalls"] = "1000",
        ["Payments:Commerce:StepAttempts"] = "3",
        ["Payments:Commerce:RetryDelay"] = "00:00:01",
    };

    [Fact]
    public async Task An_order_that_cannot_be_delivered_is_refunded_and_its_stock_released()
    {
        var shop = new CommerceClient(Api);
        var (_, _, key) = await shop.MerchantAsync("ff_shop");
        var product = await shop.ProductAsync(key, "Plugin", 1_500, 1);
        var (_, buyer) = await Api.SignUpAsync("ff_buyer", deposit: 4_000);

        var placed = await shop.WalletOrderAsync(buyer, "ff-1", (product, 1));
        Assert.True(placed.Status == HttpStatusCode.Created, placed.Body);
        Assert.Equal("paid", placed.Json["status"]!.GetValue<string>());
        var id = placed.Json["id"]!.GetValue<string>();
        var order = await OrderSagaAssertions.EndsAsync(shop, buyer, id, "failed");
        Assert.Equal("fulfil", order["failure"]!["step"]!.GetValue<string>());
        Assert.Equal(["reserve_stock", "authorize_payment", "capture_payment", "fulfil", "revoke_license", "refund_payment", "release_stock"], order["saga"]!.AsArray().Select(step => step!["step"]!.GetValue<string>()));
        CommerceTests.AssertRebuilds(await shop.EventsAsync(buyer, id), order);
        await OrderSagaAssertions.NothingMovedAsync(Api, shop, key, buyer, 4_000, order["payment"]!.GetValue<string>(), product, 1);
    }

    [Fact]
    public async Task A_buyer_cancels_an_order_waiting_for_delivery_and_gets_the_money_back()
    {
        var shop = new CommerceClient(Api);
        var (_, _, key) = await shop.MerchantAsync("fc_shop");
        var product = await shop.ProductAsync(key, "Theme", 900, 3);
        var (_, buyer) = await Api.SignUpAsync("fc_buyer", deposit: 2_000);

        var placed = await shop.WalletOrderAsync(buyer, "fc-1", (product, 2));
        var id = placed.Json["id"]!.GetValue<string>();
        Assert.Equal("paid", placed.Json["status"]!.GetValue<string>());
        var canceled = await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/cancel", buyer);
        Assert.True(canceled.Status == HttpStatusCode.OK, canceled.Body);
        var order = await OrderSagaAssertions.EndsAsync(shop, buyer, id, "canceled");
        Assert.Null(order["failure"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/cancel", buyer)).Status);
        var (_, stranger) = await Api.SignUpAsync("fc_stranger");
        Assert.Equal("NOT_FOUND", (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/cancel", stranger)).Code);
        CommerceTests.AssertRebuilds(await shop.EventsAsync(buyer, id), order);
        await OrderSagaAssertions.NothingMovedAsync(Api, shop, key, buyer, 2_000, order["payment"]!.GetValue<string>(), product, 3);
    }
}

/// <summary>Capture and the void that would undo it both keep failing: the order lands in the operator queue with the hold still on record.</summary>
public sealed class OrderStuckCompensationTests() : ApiTest("order-stuck")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Commerce:FailSteps:0"] = "capture_payment",
        ["Payments:Commerce:FailSteps:1"] = "void_payment",
        ["Payments:Commerce:StepAttempts"] = "2",
        ["Payments:Commerce:CompensationAttempts"] = "2",
        ["Payments:Commerce:RetryDelay"] = "00:00:00.050",
    };

    [Fact]
    public async Task A_compensation_that_keeps_failing_sends_the_order_to_the_operator_queue()
    {
        var shop = new CommerceClient(Api);
        var (_, _, key) = await shop.MerchantAsync("st_shop");
        var product = await shop.ProductAsync(key, "Sample pack", 800, 5);
        var (_, buyer) = await Api.SignUpAsync("st_buyer", deposit: 1_000);

        var id = (await shop.WalletOrderAsync(buyer, "st-1", (product, 1))).Json["id"]!.GetValue<string>();
        await Eventually.TrueAsync(
            async () => (await shop.GetOrderAsync(buyer, id)).Json["stuck"] is not null, TimeSpan.FromSeconds(20), "the void kept failing and the order is stuck");
        var queue = await Api.SendAsync(HttpMethod.Get, "/v1/admin/orders/stuck", InProcessSilo.AdminToken);
        var stuck = Assert.Single(queue.Json["data"]!.AsArray())!;
        Assert.Equal((id, "void_payment", 2), (stuck["id"]!.GetValue<string>(), stuck["stuck"]!["step"]!.GetValue<string>(), stuck["stuck"]!["attempts"]!.GetValue<int>()));
        Assert.Equal("pending", stuck["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/admin/orders/stuck", buyer)).Status);

        // Nothing is lost while it waits: the money is held (not paid, not gone), the unit still reserved.
        var wallet = await Api.WalletAsync(buyer);
        Assert.Equal((1_000, 800), (wallet["balance"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));
        Assert.Equal(4, await shop.UnitsAvailableAsync(product));
        Assert.Contains(await shop.AuditAsync(key, id), record => record!["action"]!.GetValue<string>() == "order.stuck");

        // An operator's retry runs it again (still failing here, so it is stuck again, with fresh attempts).
        var retried = await Api.SendAsync(HttpMethod.Post, $"/v1/admin/orders/{id}/retry", InProcessSilo.AdminToken);
        Assert.True(retried.Status == HttpStatusCode.OK, retried.Body);
        await Eventually.TrueAsync(
            async () => (await shop.GetOrderAsync(buyer, id)).Json["stuck"] is not null, TimeSpan.FromSeconds(20), "stuck again");
        CommerceTests.AssertRebuilds(await shop.EventsAsync(buyer, id), (await shop.GetOrderAsync(buyer, id)).Json);
        await new MerchantClient(Api).AssertLedgerBalancedAsync();
    }
}

internal static class OrderSagaAssertions
{
    public static async Task<System.Text.Json.Nodes.JsonNode> EndsAsync(CommerceClient shop, string buyer, string orderId, string status)
    {
        await Eventually.TrueAsync(
            async () => (await shop.GetOrderAsync(buyer, orderId)).Json["status"]!.GetValue<string>() == status, TimeSpan.FromSeconds(30), $"the order ends {status}");
        return (await shop.GetOrderAsync(buyer, orderId)).Json;
    }

    /// <summary>
    /// The buyer has all their money (none held), the merchant none of it, and the product all its units. A captured
    /// payment refunded keeps its processing fee, as any merchant refund does: the merchant's only cost.
    /// </summary>
    public static async Task NothingMovedAsync(ApiClient api, CommerceClient shop, string key, string buyer, long deposit, string paymentId, string product, int units)
    {
        var wallet = await api.WalletAsync(buyer);
        Assert.Equal((deposit, 0L), (wallet["balance"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));
        var merchants = new MerchantClient(api);
        var payment = await merchants.GetAsync(key, paymentId);
        Assert.Equal(payment["amountCaptured"]!.GetValue<long>(), payment["amountRefunded"]!.GetValue<long>());
        Assert.Equal((-payment["fee"]!.GetValue<long>(), 0L), await merchants.BalanceAsync(key));
        await Eventually.TrueAsync(async () => await shop.UnitsAvailableAsync(product) == units, TimeSpan.FromSeconds(10), "every unit is for sale again");
        await merchants.AssertLedgerBalancedAsync();
    }
}
