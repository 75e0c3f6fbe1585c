using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Products, orders and their sagas end to end: stock, payment by wallet and by card, cancel, refund, events, audit.</summary>
public sealed class CommerceTests() : ApiTest("commerce")
{
    private static readonly object s_wallet = new { type = "wallet" };

    private CommerceClient Shop => new(Api);

    private MerchantClient Merchants => new(Api);

    [Fact]
    public async Task A_merchant_manages_products_with_its_key_or_its_owners_session_and_every_change_is_audited()
    {
        var (owner, merchant, key) = await Shop.MerchantAsync("shop_owner");
        var (_, _, otherKey) = await Shop.MerchantAsync("shop_rival");
        var ebook = await Shop.ProductAsync(key, "Orleans in Action ebook", 2_500, 10);
        var bySession = await Shop.CreateProductAsync(owner, new { name = "Payments course", price = 9_900, currency = "USD", units = 3 }, merchant);
        Assert.True(bySession.Status == HttpStatusCode.Created, bySession.Body);
        var course = bySession.Json["id"]!.GetValue<string>();

        // Bad input is refused with the field and changes nothing.
        Assert.Equal(("INVALID_AMOUNT", "price"), Refusal(await Shop.CreateProductAsync(key, new { name = "Free", price = 0, currency = "USD", units = 1 })));
        Assert.Equal(("CURRENCY_MISMATCH", "currency"), Refusal(await Shop.CreateProductAsync(key, new { name = "Euro", price = 100, currency = "EUR", units = 1 })));
        Assert.Equal(("VALIDATION_ERROR", "name"), Refusal(await Shop.CreateProductAsync(key, new { name = "", price = 100, currency = "USD", units = 1 })));
        Assert.Equal(("VALIDATION_ERROR", "units"), Refusal(await Shop.CreateProductAsync(key, new { name = "Many", price = 100, currency = "USD", units = -1 })));
        Assert.Equal(("VALIDATION_ERROR", "merchant"), Refusal(await Shop.CreateProductAsync(owner, new { name = "Whose", price = 100, currency = "USD", units = 1 })));
        Assert.Equal(("NOT_FOUND", "merchant"), Refusal(await Shop.CreateProductAsync(otherKey, new { name = "Theirs", price = 100, currency = "USD", units = 1 }, merchant)));

        var repriced = await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/products/{ebook}", owner, new { price = 2_000 });
        Assert.True(repriced.Status == HttpStatusCode.OK, repriced.Body);
        Assert.Equal(2_000, repriced.Json["price"]!.GetValue<long>());
        Assert.Equal("NOT_FOUND", (await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/products/{ebook}", otherKey, new { price = 1 })).Code);
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/products/{ebook}", key, new { })).Code);
        var restocked = await Api.SendAsync(HttpMethod.Post, $"/v1/products/{ebook}/restock", key, new { units = 5 });
        Assert.True(restocked.Status == HttpStatusCode.OK, restocked.Body);
        Assert.Equal(15, restocked.Json["unitsAvailable"]!.GetValue<int>());
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(HttpMethod.Post, $"/v1/products/{ebook}/restock", key, new { units = 0 })).Code);
        var pastTheCap = await Api.SendAsync(HttpMethod.Post, $"/v1/products/{ebook}/restock", key, new { units = 1_000_000 });
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "units"), (pastTheCap.Status, pastTheCap.Code, pastTheCap.Json["field"]?.GetValue<string>()));
        Assert.Equal(15, (await Api.SendAsync(HttpMethod.Get, $"/v1/products/{ebook}", key)).Json["unitsAvailable"]!.GetValue<int>());

        // Listings are public: the merchant's active products, newest first, filtered by name, paged by cursor.
        var listed = await Api.SendAsync(HttpMethod.Get, $"/v1/products?merchant={merchant}&limit=1", null);
        Assert.Equal([course], listed.Json["data"]!.AsArray().Select(product => product!["id"]!.GetValue<string>()));
        Assert.True(listed.Json["hasMore"]!.GetValue<bool>());
        var next = await Api.SendAsync(HttpMethod.Get, $"/v1/products?merchant={merchant}&limit=1&startingAfter={course}", null);
        Assert.Equal([ebook], next.Json["data"]!.AsArray().Select(product => product!["id"]!.GetValue<string>()));
        var found = await Api.SendAsync(HttpMethod.Get, $"/v1/products?merchant={merchant}&q=orleans", null);
        Assert.Equal([ebook], found.Json["data"]!.AsArray().Select(product => product!["id"]!.GetValue<string>()));
        Assert.Empty((await Api.SendAsync(HttpMethod.Get, $"/v1/products?merchant={merchant}&q=%25", null)).Json["data"]!.AsArray());
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(HttpMethod.Get, "/v1/products?limit=0", null)).Code);

        // A soft delete: out of listings and orders, still readable by id and kept in the database.
        var deleted = await Api.SendAsync(HttpMethod.Delete, $"/v1/products/{course}", key);
        Assert.True(deleted.Status == HttpStatusCode.OK, deleted.Body);
        await Eventually.TrueAsync(
            async () => (await Api.SendAsync(HttpMethod.Get, $"/v1/products?merchant={merchant}", null)).Json["data"]!.AsArray().Count == 1, TimeSpan.FromSeconds(10), "the deleted product leaves the listing");
        var readable = await Shop.ProductAsync(course);
        Assert.Equal(HttpStatusCode.OK, readable.Status);
        Assert.NotNull(readable.Json["deletedAt"]);
        var (_, buyer) = await Api.SignUpAsync("shop_late_buyer", deposit: 50_000);
        Assert.Equal(("PRODUCT_UNAVAILABLE", "items[0].product"), Refusal(await Shop.WalletOrderAsync(buyer, "late", (course, 1))));

        var audit = await Shop.AuditAsync(key);
        Assert.Equal(
            ["product.deleted", "stock.restocked", "product.updated", "stock.restocked", "product.created", "stock.restocked", "product.created"],
            audit.Select(record => record!["action"]!.GetValue<string>()));
        var update = audit.Single(record => record!["action"]!.GetValue<string>() == "product.updated")!;
        Assert.Equal((2_500, 2_000), (update["oldValue"]!["price"]!.GetValue<long>(), update["newValue"]!["price"]!.GetValue<long>()));
        Assert.StartsWith("user:", update["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("api_key:key_", audit[0]!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Shop.AuditAsync(otherKey));
        Assert.Equal(7, (await Shop.AuditAsync(key, null)).Count);
        var all = await Api.SendAsync(HttpMethod.Get, "/v1/admin/audit?limit=100", InProcessSilo.AdminToken);
        Assert.True(all.Json["data"]!.AsArray().Count >= 7, all.Body);
    }

    [Fact]
    public async Task A_wallet_order_reserves_pays_captures_and_fulfils_and_its_events_rebuild_it()
    {
        var (_, merchant, key) = await Shop.MerchantAsync("wo_shop");
        var ebook = await Shop.ProductAsync(key, "Ebook", 1_500, 5);
        var video = await Shop.ProductAsync(key, "Video course", 4_000, 2);
        var (buyerId, buyer) = await Api.SignUpAsync("wo_buyer", deposit: 20_000);

        var placed = await Shop.WalletOrderAsync(buyer, "wo-1", (ebook, 2), (video, 1));
        Assert.True(placed.Status == HttpStatusCode.Created, placed.Body);
        var order = placed.Json;
        Assert.Equal(("fulfilled", 7_000L, merchant), (order["status"]!.GetValue<string>(), order["amount"]!.GetValue<long>(), order["merchant"]!.GetValue<string>()));
        Assert.Equal([(ebook, 1_500L, 2, 3_000L), (video, 4_000L, 1, 4_000L)], order["lines"]!.AsArray().Select(line => (line!["product"]!.GetValue<string>(), line["unitPrice"]!.GetValue<long>(), line["quantity"]!.GetValue<int>(), line["amount"]!.GetValue<long>())));
        Assert.Matches("^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$", order["licenseKey"]!.GetValue<string>());
        Assert.Equal(["reserve_stock", "authorize_payment", "capture_payment", "fulfil", "sell_stock"], order["saga"]!.AsArray().Select(step => step!["step"]!.GetValue<string>()));

        // The money went to the merchant through a captured merchant payment; the stock is sold.
        Assert.Equal(13_000, (await Api.WalletAsync(buyer))["balance"]!.GetValue<long>());
        var payment = await Merchants.GetAsync(key, order["payment"]!.GetValue<string>());
        Assert.Equal(("succeeded", 7_000L, "wallet"), (payment["status"]!.GetValue<string>(), payment["amountCaptured"]!.GetValue<long>(), payment["paymentMethod"]!["type"]!.GetValue<string>()));
        Assert.Equal(order["id"]!.GetValue<string>(), payment["metadata"]!["order"]!.GetValue<string>());
        var paymentEvents = (await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{payment["id"]}/events", key)).Json["data"]!.AsArray();
        // The saga acts for the merchant (create, capture) and for the buyer (the confirmation that holds the money).
        Assert.Equal([$"order:{order["id"]}", $"user:{buyerId}"], paymentEvents.Select(change => change!["actor"]!.GetValue<string>()).Distinct().Order());
        var paid = (await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions?limit=1", buyer)).Json["data"]![0]!;
        Assert.Equal((-7_000L, payment["id"]!.GetValue<string>(), order["id"]!.GetValue<string>()), (paid["amount"]!.GetValue<long>(), paid["payment"]!.GetValue<string>(), paid["order"]!.GetValue<string>()));
        await Eventually.TrueAsync(async () => await Shop.UnitsAvailableAsync(ebook) == 3 && await Shop.UnitsAvailableAsync(video) == 1, TimeSpan.FromSeconds(10), "the listing shows the stock left");

        // A later price change leaves the order's frozen prices alone.
        await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/products/{ebook}", key, new { price = 99_000 });
        var id = order["id"]!.GetValue<string>();
        var reread = await Shop.GetOrderAsync(buyer, id);
        Assert.Equal(1_500, reread.Json["lines"]![0]!["unitPrice"]!.GetValue<long>());
        // The order names the ledger transaction that took the money: the history line's.
        Assert.Equal([(paid["id"]!.GetValue<string>(), "capture", 7_000L)], Transactions(reread.Json));
        Assert.Equal(HttpStatusCode.OK, (await Shop.GetOrderAsync(key, id)).Status);
        var (_, stranger) = await Api.SignUpAsync("wo_stranger");
        Assert.Equal("NOT_FOUND", (await Shop.GetOrderAsync(stranger, id)).Code);

        AssertRebuilds(await Shop.EventsAsync(buyer, id), reread.Json);
        var listedByBuyer = await Api.SendAsync(HttpMethod.Get, "/v1/orders", buyer);
        Assert.Equal([id], listedByBuyer.Json["data"]!.AsArray().Select(listed => listed!["id"]!.GetValue<string>()));
        var listedByMerchant = await Api.SendAsync(HttpMethod.Get, "/v1/orders?status=fulfilled", key);
        Assert.Equal([id], listedByMerchant.Json["data"]!.AsArray().Select(listed => listed!["id"]!.GetValue<string>()));
        Assert.Contains(await Shop.AuditAsync(key, id), record => record!["action"]!.GetValue<string>() == "order.fulfilled");
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_card_order_is_authorized_on_the_card_wallet_token_and_a_merchant_refund_returns_the_money_and_revokes_the_license()
    {
        var (owner, merchant, key) = await Shop.MerchantAsync("co_shop");
        var game = await Shop.ProductAsync(key, "Game", 3_000, 4);
        var (_, buyer) = await Api.SignUpAsync("co_buyer");
        var cards = new CardWalletClient(Api);
        var (card, _) = await cards.CardAsync(buyer, await cards.DeviceAsync(buyer));

        var placed = await Shop.OrderAsync(buyer, "co-1", new { type = "card", card }, (game, 1));
        Assert.True(placed.Status == HttpStatusCode.Created, placed.Body);
        Assert.Equal("fulfilled", placed.Json["status"]!.GetValue<string>());
        var id = placed.Json["id"]!.GetValue<string>();
        var paymentId = placed.Json["payment"]!.GetValue<string>();
        var payment = await Merchants.GetAsync(key, paymentId);
        Assert.Equal(("network_token", card), (payment["paymentMethod"]!["type"]!.GetValue<string>(), payment["paymentMethod"]!["card"]!.GetValue<string>()));
        Assert.Equal("NOT_FOUND", (await Shop.OrderAsync(buyer, "co-unknown-card", new { type = "card", card = $"card_{new string('0', 32)}" }, (game, 1))).Code);

        // Fulfilled: the buyer can no longer cancel; the merchant (here its owner's session) refunds.
        Assert.Equal("ORDER_NOT_CANCELABLE", (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/cancel", buyer)).Code);
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/refund", owner)).Code);
        var refunded = await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/refund?merchant={merchant}", owner);
        Assert.True(refunded.Status == HttpStatusCode.OK, refunded.Body);
        Assert.Equal("refunded", refunded.Json["status"]!.GetValue<string>());
        Assert.Null(refunded.Json["licenseKey"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{id}/refund", key)).Status);
        Assert.Equal(3_000, (await Merchants.GetAsync(key, paymentId))["amountRefunded"]!.GetValue<long>());
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM fulfilment_simulator.licenses WHERE order_id = '{id}' AND revoked_at IS NOT NULL"));
        Assert.Equal("ORDER_NOT_REFUNDABLE", (await Api.SendAsync(HttpMethod.Post, $"/v1/orders/{(await Shop.WalletOrderAsync(buyer, "co-poor", (game, 1))).Json["id"]!.GetValue<string>()}/refund", key)).Code);
        var final = (await Shop.GetOrderAsync(key, id)).Json;
        Assert.Equal(["capture", "refund"], Transactions(final).Select(transaction => transaction.Type));
        Assert.All(Transactions(final), transaction => Assert.Equal(3_000L, transaction.Amount));
        AssertRebuilds(await Shop.EventsAsync(key, id), final);
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Fifty_buyers_racing_for_the_last_three_units_leave_exactly_three_paid_orders_and_charge_nobody_else()
    {
        var (_, _, key) = await Shop.MerchantAsync("race_shop");
        var ticket = await Shop.ProductAsync(key, "Last tickets", 1_000, 3);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Api.SignUpAsync($"racer_{i}", deposit: 5_000)));

        var orders = await Task.WhenAll(buyers.Select((buyer, i) => Shop.WalletOrderAsync(buyer.Token, $"race-{i}", (ticket, 1))));
        Assert.All(orders, order => Assert.True(order.Status == HttpStatusCode.Created, order.Body));
        var statuses = orders.Select(order => order.Json["status"]!.GetValue<string>()).ToList();
        Assert.Equal(3, statuses.Count(status => status == "fulfilled"));
        var failed = orders.Where(order => order.Json["status"]!.GetValue<string>() == "failed").ToList();
        Assert.Equal(47, failed.Count);
        Assert.All(failed, order => Assert.Equal("OUT_OF_STOCK", order.Json["failure"]!["code"]!.GetValue<string>()));
        Assert.All(failed, order => Assert.Null(order.Json["payment"]));

        var balances = await Task.WhenAll(buyers.Select(buyer => Api.WalletAsync(buyer.Token)));
        Assert.Equal(3, balances.Count(balance => balance["balance"]!.GetValue<long>() == 4_000));
        Assert.Equal(47, balances.Count(balance => balance["balance"]!.GetValue<long>() == 5_000 && balance["held"]!.GetValue<long>() == 0));
        await Eventually.TrueAsync(async () => await Shop.UnitsAvailableAsync(ticket) == 0, TimeSpan.FromSeconds(10), "the listing shows none left");
        Assert.Equal(3, await ScalarAsync($"SELECT count(*) FROM orders WHERE status = 'fulfilled' AND body->'view'->'lines'->0->>'product' = '{ticket}'"));
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_multi_line_order_whose_second_product_is_short_reserves_nothing_and_a_poor_buyer_releases_the_stock()
    {
        var (_, _, key) = await Shop.MerchantAsync("ml_shop");
        var plenty = await Shop.ProductAsync(key, "Plenty", 500, 10);
        var scarce = await Shop.ProductAsync(key, "Scarce", 700, 1);
        var (_, buyer) = await Api.SignUpAsync("ml_buyer", deposit: 10_000);

        var shortOrder = await Shop.WalletOrderAsync(buyer, "ml-short", (plenty, 3), (scarce, 2));
        Assert.Equal(("failed", "OUT_OF_STOCK", "items[1].product"), (shortOrder.Json["status"]!.GetValue<string>(), shortOrder.Json["failure"]!["code"]!.GetValue<string>(), shortOrder.Json["failure"]!["field"]!.GetValue<string>()));
        Assert.Equal(10_000, (await Api.WalletAsync(buyer))["balance"]!.GetValue<long>());
        var restocked = await Api.SendAsync(HttpMethod.Post, $"/v1/products/{plenty}/restock", key, new { units = 1 });
        Assert.Equal(11, restocked.Json["unitsAvailable"]!.GetValue<int>());

        // Reserved, then the wallet cannot pay: the payment is closed and the stock given back.
        var (_, poor) = await Api.SignUpAsync("ml_poor", deposit: 100);
        var unpaid = await Shop.WalletOrderAsync(poor, "ml-poor", (plenty, 2), (scarce, 1));
        Assert.Equal(("failed", "INSUFFICIENT_FUNDS"), (unpaid.Json["status"]!.GetValue<string>(), unpaid.Json["failure"]!["code"]!.GetValue<string>()));
        Assert.Equal(["reserve_stock", "authorize_payment", "void_payment", "release_stock"], unpaid.Json["saga"]!.AsArray().Select(step => step!["step"]!.GetValue<string>()));
        Assert.Equal("canceled", (await Merchants.GetAsync(key, unpaid.Json["payment"]!.GetValue<string>()))["status"]!.GetValue<string>());
        Assert.Equal(100, (await Api.WalletAsync(poor))["balance"]!.GetValue<long>());
        await Eventually.TrueAsync(async () => await Shop.UnitsAvailableAsync(plenty) == 11 && await Shop.UnitsAvailableAsync(scarce) == 1, TimeSpan.FromSeconds(10), "the stock is back");
        AssertRebuilds(await Shop.EventsAsync(poor, unpaid.Json["id"]!.GetValue<string>()), unpaid.Json);
    }

    [Fact]
    public async Task Concurrent_retries_of_one_order_make_one_order_one_reservation_and_one_payment()
    {
        var (_, _, key) = await Shop.MerchantAsync("retry_shop");
        var album = await Shop.ProductAsync(key, "Album", 1_200, 5);
        var (_, buyer) = await Api.SignUpAsync("retry_buyer", deposit: 10_000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Shop.WalletOrderAsync(buyer, "retry-1", (album, 2))));
        Assert.All(answers, answer => Assert.True(answer.Status == HttpStatusCode.Created, answer.Body));
        Assert.Single(answers.Select(answer => answer.Json["id"]!.GetValue<string>()).Distinct());
        Assert.Equal(7_600, (await Api.WalletAsync(buyer))["balance"]!.GetValue<long>());
        await Eventually.TrueAsync(async () => await Shop.UnitsAvailableAsync(album) == 3, TimeSpan.FromSeconds(10), "two units sold once");
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", (await Shop.WalletOrderAsync(buyer, "retry-1", (album, 1))).Code);

        // Bad orders are refused with the field, and change nothing.
        Assert.Equal(("VALIDATION_ERROR", "items"), Refusal(await Api.SendAsync(HttpMethod.Post, "/v1/orders", buyer, new { items = Array.Empty<object>(), paymentMethod = s_wallet }, "bad-1")));
        Assert.Equal(("VALIDATION_ERROR", "items[0].quantity"), Refusal(await Shop.WalletOrderAsync(buyer, "bad-2", (album, 0))));
        Assert.Equal(("VALIDATION_ERROR", "items[1].product"), Refusal(await Shop.WalletOrderAsync(buyer, "bad-3", (album, 1), (album, 1))));
        Assert.Equal(("NOT_FOUND", "items[0].product"), Refusal(await Shop.WalletOrderAsync(buyer, "bad-4", ("prod_nope", 1))));
        Assert.Equal(("VALIDATION_ERROR", "items[0].product"), Refusal(await Api.SendAsync(HttpMethod.Post, "/v1/orders", buyer, new { items = new object?[] { null }, paymentMethod = s_wallet }, "bad-null-line")));
        Assert.Equal(("VALIDATION_ERROR", "items[0].product"), Refusal(await Api.SendAsync(HttpMethod.Post, "/v1/orders", buyer, new { items = new[] { new { } }, paymentMethod = s_wallet }, "bad-empty-line")));
        Assert.Equal(("VALIDATION_ERROR", "paymentMethod"), Refusal(await Shop.OrderAsync(buyer, "bad-5", new { type = "cash" }, (album, 1))));
        Assert.Equal("IDEMPOTENCY_KEY_REQUIRED", (await Api.SendAsync(HttpMethod.Post, "/v1/orders", buyer, new { items = new[] { new { product = album, quantity = 1 } }, paymentMethod = s_wallet })).Code);
        var (_, _, otherKey) = await Shop.MerchantAsync("retry_other");
        var foreign = await Shop.ProductAsync(otherKey, "Elsewhere", 100, 5);
        Assert.Equal(("VALIDATION_ERROR", "items"), Refusal(await Shop.WalletOrderAsync(buyer, "bad-6", (album, 1), (foreign, 1))));
        Assert.Equal(7_600, (await Api.WalletAsync(buyer))["balance"]!.GetValue<long>());
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM orders JOIN users ON users.id = orders.buyer_id WHERE users.username = 'retry_buyer'"));
    }

    /// <summary>The order its events rebuild has the grain's status, payment, license, failure and stuck state, lines and amount.</summary>
    internal static void AssertRebuilds(JsonArray events, JsonNode order)
    {
        var rebuilt = CommerceClient.Rebuild(events);
        foreach (var field in new[] { "id", "status", "payment", "licenseKey", "failure", "stuck", "amount", "lines", "buyer", "merchant" })
        {
            Assert.True(JsonNode.DeepEquals(rebuilt[field], order[field]), $"{field}: rebuilt {rebuilt[field]?.ToJsonString()}, order {order[field]?.ToJsonString()}");
        }
    }

    private static List<(string Id, string Type, long Amount)> Transactions(JsonNode order) =>
        [.. order["transactions"]!.AsArray().Select(transaction => (transaction!["id"]!.GetValue<string>(), transaction["type"]!.GetValue<string>(), transaction["amount"]!.GetValue<long>()))];

    private static (string?, string?) Refusal(ApiClient.Response response) => (response.Code, response.Json["field"]?.GetValue<string>());

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
