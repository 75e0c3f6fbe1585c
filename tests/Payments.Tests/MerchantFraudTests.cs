using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Acquiring;
using Xunit;

namespace Payments.Tests;

/// <summary>Each fraud rule driven on its own, the thresholds and lists of a merchant, and a blocked payment never reaching the network.</summary>
public sealed class MerchantFraudTests() : ApiTest("merchant-fraud")
{
    private static readonly string[] s_blockedAddress = ["ip:198.51.100.7"];

    private MerchantClient Merchants => new(Api);

    /// <summary>A Luhn-valid Visa test number, different for each <paramref name="seed"/>.</summary>
    private static string Card(int seed)
    {
        var body = $"424242424{seed:D6}";
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return body + ((10 - sum % 10) % 10);
    }

    private async Task<ApiClient.Response> PayAsync(string key, long amount, string number, string? ip = null, string? country = null, string? customerReference = null) =>
        await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, new
        {
            amount,
            currency = "USD",
            paymentMethod = MerchantClient.Card(number),
            customerReference,
            customer = ip is null && country is null ? null : new { ip, country },
        }, Guid.NewGuid().ToString());

    private static JsonNode Fraud(ApiClient.Response response) =>
        (response.Status == HttpStatusCode.PaymentRequired ? response.Json["payment"]!["fraud"] : response.Json["fraud"])!;

    private static List<string> Reasons(ApiClient.Response response) => [.. Fraud(response)["reasons"]!.AsArray().Select(reason => reason!.GetValue<string>())];

    [Fact]
    public async Task A_payment_with_no_history_scores_zero_and_is_allowed()
    {
        var (_, _, key) = await Merchants.MerchantAsync("fr_clean");
        var paid = await PayAsync(key, 2_000, Card(1));
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        Assert.Equal(0, Fraud(paid)["score"]!.GetValue<int>());
        Assert.Equal("allow", Fraud(paid)["outcome"]!.GetValue<string>());
        Assert.Empty(Reasons(paid));
        Assert.Matches("^[0-9a-f]{64}$", paid.Json["paymentMethod"]!["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Velocity_counts_a_cards_wallets_addresses_and_customers_payments_in_the_last_minute()
    {
        var (_, _, key) = await Merchants.MerchantAsync("fr_velocity");
        var card = Card(2);
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(Reasons(await PayAsync(key, 1_000, card)));
        }

        var fourth = await PayAsync(key, 1_000, card);
        Assert.Equal(["velocity_card_minute"], Reasons(fourth));
        Assert.Equal((35, "allow"), (Fraud(fourth)["score"]!.GetValue<int>(), Fraud(fourth)["outcome"]!.GetValue<string>()));

        for (var i = 0; i < 5; i++)
        {
            await PayAsync(key, 1_000, Card(100 + i), ip: "203.0.113.50");
        }

        Assert.Contains("velocity_ip_minute", Reasons(await PayAsync(key, 1_000, Card(110), ip: "203.0.113.50")));

        for (var i = 0; i < 3; i++)
        {
            await PayAsync(key, 1_000, Card(200 + i), customerReference: "cus_busy");
        }

        Assert.Contains("velocity_customer_minute", Reasons(await PayAsync(key, 1_000, Card(210), customerReference: "cus_busy")));

        var (_, payer) = await Api.SignUpAsync("fr_wallet_payer", deposit: 100_000);
        ApiClient.Response wallet = null!;
        for (var i = 0; i < 4; i++)
        {
            wallet = await Merchants.PayAsync(key, 500, Guid.NewGuid().ToString(), "manual", new { type = "wallet", user = "fr_wallet_payer" });
        }

        Assert.Contains("velocity_wallet_minute", Reasons(wallet));
    }

    [Fact]
    public async Task Card_testing_declines_and_probes_raise_the_score_to_review_and_to_a_block_that_never_reaches_the_network()
    {
        var (_, _, key) = await Merchants.MerchantAsync("fr_testing");
        var acquirer = Silo.Services.GetRequiredService<SimulatedCardAcquirer>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, (await PayAsync(key, 1_000, "4000000000000002", ip: "198.51.100.20")).Status);
        }

        // Three declines from this address: a good card from it is authorized, but flagged.
        var flagged = await PayAsync(key, 1_000, Card(3), ip: "198.51.100.20");
        Assert.True(flagged.Status == HttpStatusCode.Created, flagged.Body);
        Assert.Equal(["card_testing_declines"], Reasons(flagged));
        Assert.Equal(("review", "succeeded"), (Fraud(flagged)["outcome"]!.GetValue<string>(), flagged.Json["status"]!.GetValue<string>()));

        // The declined card again, from the same address: declines and velocity together reach the block threshold.
        var calls = acquirer.Calls;
        var blocked = await PayAsync(key, 1_000, "4000000000000002", ip: "198.51.100.20");
        Assert.Equal((HttpStatusCode.PaymentRequired, "FRAUD_BLOCKED"), (blocked.Status, blocked.Code));
        Assert.Equal("fraud_blocked", blocked.Json["declineCode"]!.GetValue<string>());
        Assert.Equal(["velocity_card_minute", "card_testing_declines"], Reasons(blocked));
        Assert.Equal("block", Fraud(blocked)["outcome"]!.GetValue<string>());
        Assert.Equal("failed", blocked.Json["payment"]!["status"]!.GetValue<string>());
        Assert.Equal(calls, acquirer.Calls);

        // Tiny probes from one address.
        for (var i = 0; i < 5; i++)
        {
            await PayAsync(key, 100, Card(300 + i), ip: "198.51.100.30");
        }

        Assert.Contains("card_testing_small_amounts", Reasons(await PayAsync(key, 100, Card(310), ip: "198.51.100.30")));
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Amounts_far_above_the_payers_or_the_merchants_usual_ones_are_anomalies()
    {
        var (_, _, key) = await Merchants.MerchantAsync("fr_amounts");
        var card = Card(4);
        for (var i = 0; i < 3; i++)
        {
            await PayAsync(key, 1_000, card);
        }

        Assert.Contains("amount_anomaly_payer", Reasons(await PayAsync(key, 6_000, card)));

        // The merchant's usual ticket: 20 small payments from different cards, then a new card paying far more.
        var (_, _, key2) = await Merchants.MerchantAsync("fr_amounts_2");
        for (var i = 0; i < 20; i++)
        {
            await PayAsync(key2, 1_000, Card(400 + i));
        }

        // The usual ticket is reread at most every 10 s per silo (it was read at the first of the 20): wait past that.
        await Task.Delay(TimeSpan.FromSeconds(11));
        var reasons = Reasons(await PayAsync(key2, 20_000, Card(450)));
        Assert.Equal(["amount_anomaly_merchant"], reasons);
    }

    [Fact]
    public async Task A_known_payer_from_a_new_country_or_address_is_noticed()
    {
        var (_, _, key) = await Merchants.MerchantAsync("fr_places");
        var card = Card(5);
        Assert.Empty(Reasons(await PayAsync(key, 1_000, card, ip: "192.0.2.10", country: "US")));
        Assert.Empty(Reasons(await PayAsync(key, 1_000, card, ip: "192.0.2.10", country: "US")));
        Assert.Equal(["new_country", "new_ip"], Reasons(await PayAsync(key, 1_000, card, ip: "192.0.2.99", country: "FR")));
    }

    [Fact]
    public async Task A_merchant_sets_its_own_thresholds_and_lists()
    {
        var (owner, merchantId, key) = await Merchants.MerchantAsync("fr_settings");
        var card = Card(6);
        var first = await PayAsync(key, 1_000, card);
        var fingerprint = first.Json["paymentMethod"]!["fingerprint"]!.GetValue<string>();
        await PayAsync(key, 1_000, card);
        await PayAsync(key, 1_000, card);

        var strict = await Api.SendAsync(HttpMethod.Put, $"/v1/merchants/{merchantId}/fraud_settings", owner, new { reviewThreshold = 10, blockThreshold = 30, blockList = s_blockedAddress });
        Assert.True(strict.Status == HttpStatusCode.OK, strict.Body);
        Assert.Equal(30, strict.Json["fraud"]!["blockThreshold"]!.GetValue<int>());
        var blocked = await PayAsync(key, 1_000, card);
        Assert.Equal("FRAUD_BLOCKED", blocked.Code);

        var listed = await PayAsync(key, 1_000, Card(7), ip: "198.51.100.7");
        Assert.Equal("FRAUD_BLOCKED", listed.Code);
        Assert.Equal((100, "block_listed"), (Fraud(listed)["score"]!.GetValue<int>(), Reasons(listed)[0]));

        var allowing = await Api.SendAsync(HttpMethod.Put, $"/v1/merchants/{merchantId}/fraud_settings", owner, new { reviewThreshold = 10, blockThreshold = 30, allowList = new[] { $"card:{fingerprint}" } });
        Assert.Equal(HttpStatusCode.OK, allowing.Status);
        var allowed = await PayAsync(key, 1_000, card);
        Assert.True(allowed.Status == HttpStatusCode.Created, allowed.Body);
        Assert.Equal((0, "allow_listed"), (Fraud(allowed)["score"]!.GetValue<int>(), Reasons(allowed)[0]));

        foreach (var bad in new object[]
        {
            new { reviewThreshold = 80, blockThreshold = 40 },
            new { reviewThreshold = 0 },
            new { blockList = new[] { "email:someone@example.com" } },
            new { allowList = new string?[] { null } },
            new { allowList = Enumerable.Range(0, 101).Select(i => $"ip:10.0.0.{i}").ToArray() },
            new { blockList = new[] { "ip:999.1.1.1" } },
            new { blockList = new[] { "ip:1.2.3.4/8" } },
            new { blockList = new[] { "country:us" } },
            new { blockList = new[] { "card:nothex" } },
            new { blockList = new[] { "user:not-a-uuid" } },
        })
        {
            var refused = await Api.SendAsync(HttpMethod.Put, $"/v1/merchants/{merchantId}/fraud_settings", owner, bad);
            Assert.True(refused.Status == HttpStatusCode.BadRequest, refused.Body);
        }

        var (otherOwner, _, _) = await Merchants.MerchantAsync("fr_settings_other");
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Put, $"/v1/merchants/{merchantId}/fraud_settings", otherOwner, new { blockThreshold = 101 })).Status);
    }
}
