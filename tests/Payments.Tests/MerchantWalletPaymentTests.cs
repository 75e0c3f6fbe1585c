using System.Net;
using Xunit;

namespace Payments.Tests;

/// <summary>Wallet payments to merchants: a hold on the payer's wallet that capture posts and void releases.</summary>
public sealed class MerchantWalletPaymentTests() : ApiTest("merchant-wallet")
{
    private MerchantClient Merchants => new(Api);

    private Task<ApiClient.Response> WalletPayAsync(string key, long amount, string payer, string captureMethod = "manual") =>
        Merchants.PayAsync(key, amount, Guid.NewGuid().ToString(), captureMethod, new { type = "wallet", user = payer });

    [Fact]
    public async Task A_confirmed_wallet_payment_holds_the_funds_capture_takes_part_and_releases_the_rest()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("mw_shop");
        var (payerId, payer) = await Api.SignUpAsync("mw_payer", deposit: 10_000);

        var created = await WalletPayAsync(key, 4_000, "mw_payer");
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        Assert.Equal("requires_confirmation", created.Json["status"]!.GetValue<string>());
        Assert.Equal(payerId, created.Json["paymentMethod"]!["user"]!.GetValue<string>());
        var id = created.Json["id"]!.GetValue<string>();

        // Nothing moves until the payer confirms; then the amount is held, not yet paid.
        Assert.Equal(10_000, (await Api.WalletAsync(payer))["available"]!.GetValue<long>());
        var confirmed = await Merchants.ConfirmAsync(payer, id);
        Assert.True(confirmed.Status == HttpStatusCode.Created, confirmed.Body);
        Assert.Equal("requires_capture", confirmed.Json["status"]!.GetValue<string>());
        var wallet = await Api.WalletAsync(payer);
        Assert.Equal((10_000, 6_000, 4_000), (wallet["balance"]!.GetValue<long>(), wallet["available"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));

        // The held money cannot be sent elsewhere.
        await Api.SignUpAsync("mw_friend");
        var tooMuch = await Api.TransferAsync(payer, "mw_friend", 6_001, "mw-too-much");
        Assert.Equal("INSUFFICIENT_FUNDS", tooMuch.Code);

        var captured = await Merchants.CaptureAsync(key, id, 2_500);
        Assert.True(captured.Status == HttpStatusCode.Created, captured.Body);
        wallet = await Api.WalletAsync(payer);
        Assert.Equal((7_500, 7_500, 0), (wallet["balance"]!.GetValue<long>(), wallet["available"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));
        Assert.Equal((2_500 - 103, 0), await Merchants.BalanceAsync(key));

        var refunded = await Merchants.RefundAsync(key, id, 1_000);
        Assert.True(refunded.Status == HttpStatusCode.Created, refunded.Body);
        Assert.Equal(8_500, (await Api.WalletAsync(payer))["balance"]!.GetValue<long>());

        // The payer's history names the merchant and the payment on both lines, and the bank only on the deposit.
        var history = (await Api.SendAsync(HttpMethod.Get, "/v1/wallet/transactions", payer)).Json["data"]!.AsArray();
        Assert.Equal(
            [(1_000L, merchantId, id), (-2_500L, merchantId, id), (10_000L, "bank", null)],
            history.Select(line => (line!["amount"]!.GetValue<long>(), line["counterparty"]!.GetValue<string>(), line["payment"]?.GetValue<string>())));
        Assert.All(history, line => Assert.Null(line!["order"]));
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Only_the_payer_confirms_never_beyond_their_funds_and_a_void_gives_the_hold_back()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mw_shop2");
        var (_, payer) = await Api.SignUpAsync("mw_payer2", deposit: 3_000);
        var (_, stranger) = await Api.SignUpAsync("mw_stranger", deposit: 100_000);

        var big = (await WalletPayAsync(key, 3_001, "mw_payer2")).Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await Merchants.ConfirmAsync(stranger, big)).Status);
        var refused = await Merchants.ConfirmAsync(payer, big);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "INSUFFICIENT_FUNDS"), (refused.Status, refused.Code));
        Assert.Equal("requires_confirmation", (await Merchants.GetAsync(key, big))["status"]!.GetValue<string>());

        var small = (await WalletPayAsync(key, 3_000, "mw_payer2")).Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await Merchants.ConfirmAsync(payer, small)).Status);
        Assert.Equal(0, (await Api.WalletAsync(payer))["available"]!.GetValue<long>());
        var voided = await Merchants.VoidAsync(key, small);
        Assert.Equal("canceled", voided.Json["status"]!.GetValue<string>());
        var wallet = await Api.WalletAsync(payer);
        Assert.Equal((3_000, 3_000, 0), (wallet["balance"]!.GetValue<long>(), wallet["available"]!.GetValue<long>(), wallet["held"]!.GetValue<long>()));

        // An automatic wallet payment is paid as soon as it is confirmed.
        var automatic = (await WalletPayAsync(key, 1_000, "mw_payer2", "automatic")).Json["id"]!.GetValue<string>();
        var paid = await Merchants.ConfirmAsync(payer, automatic);
        Assert.Equal("succeeded", paid.Json["status"]!.GetValue<string>());
        Assert.Equal(2_000, (await Api.WalletAsync(payer))["balance"]!.GetValue<long>());
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_payer_lists_the_payments_awaiting_their_confirmation_and_no_one_elses()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mw_listing_shop");
        var (_, payer) = await Api.SignUpAsync("mw_lister", deposit: 5_000);
        var (_, other) = await Api.SignUpAsync("mw_other_payer", deposit: 5_000);
        var first = (await WalletPayAsync(key, 1_000, "mw_lister")).Json["id"]!.GetValue<string>();
        var second = (await WalletPayAsync(key, 2_000, "mw_lister")).Json["id"]!.GetValue<string>();
        var others = (await WalletPayAsync(key, 3_000, "mw_other_payer")).Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await Merchants.ConfirmAsync(payer, first)).Status);

        var awaiting = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/payments?status=requires_confirmation", payer);
        Assert.True(awaiting.Status == HttpStatusCode.OK, awaiting.Body);
        var item = Assert.Single(awaiting.Json["data"]!.AsArray())!;
        Assert.Equal((second, "mw_listing_shop shop", 2_000L), (item["id"]!.GetValue<string>(), item["merchantName"]!.GetValue<string>(), item["amount"]!.GetValue<long>()));
        Assert.Null(item["fraud"]);

        // Every payment of this payer, newest first, a page at a time; another payer's is never among them.
        var page = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/payments?limit=1", payer);
        Assert.Equal((second, true), (page.Json["data"]![0]!["id"]!.GetValue<string>(), page.Json["hasMore"]!.GetValue<bool>()));
        var next = await Api.SendAsync(HttpMethod.Get, $"/v1/wallet/payments?limit=1&startingAfter={second}", payer);
        Assert.Equal((first, "requires_capture", false), (next.Json["data"]![0]!["id"]!.GetValue<string>(), next.Json["data"]![0]!["status"]!.GetValue<string>(), next.Json["hasMore"]!.GetValue<bool>()));
        var theirs = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/payments", other);
        Assert.Equal([others], theirs.Json["data"]!.AsArray().Select(payment => payment!["id"]!.GetValue<string>()));

        var bad = await Api.SendAsync(HttpMethod.Get, "/v1/wallet/payments?status=paid", payer);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "status"), (bad.Status, bad.Code, bad.Json["field"]!.GetValue<string>()));
    }
}
