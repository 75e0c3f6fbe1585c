using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Banking;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Daily settlement: captured money, net of fees and refunds, moves from pending to available once older than the
/// delay, and goes out to the merchant's bank as a payout, once; a payout the bank refuses comes back to available.
/// </summary>
public sealed class SettlementTests() : WebhookReceiverTest("settlement")
{
    private static readonly string[] s_payoutEvents = ["payout.paid", "payout.failed"];

    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);
    // No settlement delay beyond the commit margin (1 s); the first payout that reaches the bank is refused for good.
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Payments:Settlement:Delay"] = "00:00:00",
        ["Payments:Settlement:CommitMargin"] = "00:00:01",
        ["Payments:Bank:RejectFirstPayouts"] = "1",
    };

    [Fact]
    public async Task Settlement_pays_out_captures_net_of_fees_and_refunds_once_and_a_refused_payout_returns_to_available()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("settle_shop");
        var endpoint = await Api.SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", key, new { url = Receiver.Hook("payouts"), enabledEvents = s_payoutEvents });
        Assert.True(endpoint.Status == HttpStatusCode.Created, endpoint.Body);
        await Receiver.SetAsync("payouts", "ok", endpoint.Json["secret"]!.GetValue<string>());

        long net = 0;
        string? refunded = null;
        foreach (var amount in new long[] { 10_000, 4_000, 2_500 })
        {
            var payment = await Merchants.PayAsync(key, amount, Guid.NewGuid().ToString());
            Assert.True(payment.Status == HttpStatusCode.Created, payment.Body);
            net += amount - payment.Json["fee"]!.GetValue<long>();
            refunded ??= payment.Json["id"]!.GetValue<string>();
        }

        Assert.Equal(HttpStatusCode.Created, (await Merchants.RefundAsync(key, refunded!, 1_000)).Status);
        net -= 1_000;
        Assert.Equal((net, 0), await Merchants.BalanceAsync(key));

        // Once every capture is older than the commit margin (1 s), everything settles and is paid out, but the bank
        // refuses this first payout: its money is back in available and the merchant hears payout.failed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var failedRun = await SettleAsync(merchantId);
        Assert.Equal(net, failedRun["settlement"]!["amount"]!.GetValue<long>());
        var failed = failedRun["payout"]!;
        Assert.Equal((net, "failed", "account_closed"), (failed["amount"]!.GetValue<long>(), failed["status"]!.GetValue<string>(), failed["failureCode"]!.GetValue<string>()));
        Assert.Equal((0, net), await Merchants.BalanceAsync(key));

        // The next run pays the available balance; nothing is left anywhere, and the bank paid it once.
        var paidRun = await SettleAsync(merchantId);
        Assert.Null(paidRun["settlement"]);
        var paid = paidRun["payout"]!;
        Assert.Equal((net, "paid"), (paid["amount"]!.GetValue<long>(), paid["status"]!.GetValue<string>()));
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));
        var bank = Silo.Services.GetRequiredService<SimulatedBankGateway>();
        Assert.Equal((merchantId, net), bank.PaidOut[paid["id"]!.GetValue<string>()]);
        Assert.False(bank.PaidOut.ContainsKey(failed["id"]!.GetValue<string>()));

        var again = await SettleAsync(merchantId);
        Assert.Equal((null, null), (again["settlement"], again["payout"]));
        await Merchants.AssertLedgerBalancedAsync();

        // Listed newest first, filtered by status; the webhooks carry each outcome, signed.
        var payouts = await Api.SendAsync(HttpMethod.Get, "/v1/payouts", key);
        Assert.Equal(
            [(paid["id"]!.GetValue<string>(), "paid"), (failed["id"]!.GetValue<string>(), "failed")],
            payouts.Json["data"]!.AsArray().Select(payout => (payout!["id"]!.GetValue<string>(), payout["status"]!.GetValue<string>())).ToArray());
        var failedOnly = await Api.SendAsync(HttpMethod.Get, "/v1/payouts?status=failed", key);
        Assert.Equal(failed["id"]!.GetValue<string>(), Assert.Single(failedOnly.Json["data"]!.AsArray())!["id"]!.GetValue<string>());
        await Eventually.TrueAsync(async () => (await Receiver.ReceivedAsync("payouts")).Count >= 2, s_within, "both payout webhooks arrive");
        var webhooks = await Receiver.ReceivedAsync("payouts");
        Assert.All(webhooks, webhook => Assert.True(webhook!["verified"]!.GetValue<bool>()));
        Assert.Equal(
            new[] { ("payout.failed", failed["id"]!.GetValue<string>()), ("payout.paid", paid["id"]!.GetValue<string>()) }.Order(),
            webhooks.Select(webhook => (webhook!["type"]!.GetValue<string>(), JsonNode.Parse(webhook["body"]!.GetValue<string>())!["data"]!["id"]!.GetValue<string>())).Order());
    }

    [Fact]
    public async Task Money_captured_after_a_settlement_waits_for_the_next_and_bad_listings_are_refused()
    {
        var (owner, merchantId, key) = await Merchants.MerchantAsync("settle_later");
        Assert.Equal(HttpStatusCode.Created, (await Merchants.PayAsync(key, 3_000, Guid.NewGuid().ToString())).Status);
        var first = await SettleWhenOldEnoughAsync(merchantId);
        var firstAmount = first["settlement"]!["amount"]!.GetValue<long>();
        Assert.Equal("failed", first["payout"]!["status"]!.GetValue<string>()); // The bank refuses the first payout.

        // A capture just now is younger than the margin: it settles alone in a later run. The money the refused payout
        // returned goes out again (in that run or an earlier one), so the bank is paid both, once each.
        var late = await Merchants.PayAsync(key, 5_000, Guid.NewGuid().ToString());
        var lateNet = 5_000 - late.Json["fee"]!.GetValue<long>();
        var second = await SettleWhenOldEnoughAsync(merchantId);
        Assert.Equal(lateNet, second["settlement"]!["amount"]!.GetValue<long>());
        var paid = (await Api.SendAsync(HttpMethod.Get, "/v1/payouts?status=paid", key)).Json["data"]!.AsArray();
        Assert.Equal(firstAmount + lateNet, paid.Sum(payout => payout!["amount"]!.GetValue<long>()));
        Assert.Equal(firstAmount + lateNet, Silo.Services.GetRequiredService<SimulatedBankGateway>().PaidOut.Values.Sum(paidOut => paidOut.Amount));
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));
        await Merchants.AssertLedgerBalancedAsync();

        // The owner's session sees the same payouts; bad filters are 400s naming the field.
        var asOwner = await Api.SendAsync(HttpMethod.Get, $"/v1/payouts?merchant={merchantId}", owner);
        Assert.Equal(paid.Count + 1, asOwner.Json["data"]!.AsArray().Count);
        foreach (var (query, field) in new[] { ("status=lost", "status"), ("limit=0", "limit"), ("startingAfter=pay_1", "startingAfter") })
        {
            var refused = await Api.SendAsync(HttpMethod.Get, $"/v1/payouts?{query}", key);
            Assert.Equal((HttpStatusCode.BadRequest, field), (refused.Status, refused.Json["field"]!.GetValue<string>()));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, "/v1/admin/merchants/mer_nonsense/settlements", InProcessSilo.AdminToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Post, $"/v1/admin/merchants/{merchantId}/settlements", key)).Status);
    }

    private async Task<JsonNode> SettleAsync(string merchantId)
    {
        var run = await Api.SendAsync(HttpMethod.Post, $"/v1/admin/merchants/{merchantId}/settlements", InProcessSilo.AdminToken);
        Assert.True(run.Status == HttpStatusCode.OK, run.Body);
        return run.Json;
    }

    /// <summary>Runs settlements until one settles something (the captures must first age past the commit margin).</summary>
    private async Task<JsonNode> SettleWhenOldEnoughAsync(string merchantId)
    {
        JsonNode? settled = null;
        await Eventually.TrueAsync(async () => (settled = await SettleAsync(merchantId))["settlement"] is not null, s_within, "the captures settle");
        return settled!;
    }
}
