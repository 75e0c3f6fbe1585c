using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Acquiring;
using Payments.Grains.Interfaces.Merchants;
using Xunit;

namespace Payments.Tests;

/// <summary>Merchant card payments over real HTTP: authorize, capture, void, refund, fees, the ledger under them, and who may see what.</summary>
public sealed class MerchantPaymentTests() : ApiTest("merchant-payments")
{
    private static readonly string[] s_settledStatuses = ["succeeded", "canceled"];

    private MerchantClient Merchants => new(Api);

    [Fact]
    public async Task An_automatic_card_payment_succeeds_at_once_and_pays_the_merchant_less_the_fee()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("mp_auto");

        var paid = await Merchants.PayAsync(key, 10_000, "auto-1", customerReference: "cust_7", description: "Blue mug");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        var payment = paid.Json;
        Assert.StartsWith("pay_", payment["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(merchantId, payment["merchantId"]!.GetValue<string>());
        Assert.Equal("succeeded", payment["status"]!.GetValue<string>());
        Assert.Equal(10_000, payment["amountCaptured"]!.GetValue<long>());
        Assert.Equal(0, payment["amountCapturable"]!.GetValue<long>());
        // 2.9% of 100.00 is 2.90, plus 30 cents.
        Assert.Equal(320, payment["fee"]!.GetValue<long>());
        Assert.Equal("visa", payment["paymentMethod"]!["brand"]!.GetValue<string>());
        Assert.Equal("4242", payment["paymentMethod"]!["last4"]!.GetValue<string>());
        Assert.Null(payment["paymentMethod"]!["number"]);
        Assert.DoesNotContain(MerchantClient.Visa, paid.Body, StringComparison.Ordinal);

        Assert.Equal((9_680, 0), await Merchants.BalanceAsync(key));
        var events = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{payment["id"]}/events", key);
        Assert.Equal(["payment.succeeded"], events.Json["data"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.StartsWith("api_key:key_", events.Json["data"]![0]!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_manual_payment_is_captured_in_part_then_refunded_in_parts_never_beyond_what_was_captured()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_manual");
        var id = await Merchants.AuthorizeAsync(key, 5_000);
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));

        var captured = await Merchants.CaptureAsync(key, id, 4_000);
        Assert.True(captured.Status == HttpStatusCode.Created, captured.Body);
        Assert.Equal("succeeded", captured.Json["status"]!.GetValue<string>());
        Assert.Equal(4_000, captured.Json["amountCaptured"]!.GetValue<long>());
        var fee = 146L; // 2.9% of 40.00 = 1.16, plus 0.30
        Assert.Equal(fee, captured.Json["fee"]!.GetValue<long>());
        Assert.Equal((4_000 - fee, 0), await Merchants.BalanceAsync(key));

        var again = await Merchants.CaptureAsync(key, id);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("PAYMENT_NOT_CAPTURABLE", again.Code);

        var first = await Merchants.RefundAsync(key, id, 1_500);
        Assert.True(first.Status == HttpStatusCode.Created, first.Body);
        Assert.StartsWith("re_", first.Json["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var rest = await Merchants.RefundAsync(key, id);
        Assert.Equal(2_500, rest.Json["amount"]!.GetValue<long>());
        var beyond = await Merchants.RefundAsync(key, id, 1);
        Assert.Equal(HttpStatusCode.Conflict, beyond.Status);
        Assert.Equal("REFUND_EXCEEDS_CAPTURED", beyond.Code);

        // The fee is kept: the merchant's pending balance is below zero by it, as at Stripe.
        Assert.Equal((-fee, 0), await Merchants.BalanceAsync(key));
        var payment = await Merchants.GetAsync(key, id);
        Assert.Equal(4_000, payment["amountRefunded"]!.GetValue<long>());
        Assert.Equal(2, payment["refunds"]!.AsArray().Count);
        var events = await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{id}/events", key);
        Assert.Equal(["payment.authorized", "payment.captured", "payment.refunded", "payment.refunded"], events.Json["data"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        await Merchants.AssertLedgerBalancedAsync();
    }

    /// <summary>Every action from every state: what each one answers, and that a refusal changes nothing.</summary>
    [Fact]
    public async Task Every_transition_from_every_state_is_allowed_or_refused_as_the_state_machine_says()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_states");
        var (_, payer) = await Api.SignUpAsync("mp_states_payer", deposit: 100_000);
        async Task<string> WalletPayment()
        {
            var wallet = await Merchants.PayAsync(key, 1_000, Guid.NewGuid().ToString(), "manual", new { type = "wallet", user = "mp_states_payer" });
            Assert.True(wallet.Status == HttpStatusCode.Created, wallet.Body);
            return wallet.Json["id"]!.GetValue<string>();
        }

        // Confirmation is tried on wallet payments (their payer's to confirm); a failed payment is always a card's.
        async Task<string> InState(string state, bool wallet)
        {
            if (wallet && state is "requires_capture" or "succeeded" or "canceled")
            {
                var id = await WalletPayment();
                Assert.Equal(HttpStatusCode.Created, (await Merchants.ConfirmAsync(payer, id)).Status);
                var next = state switch
                {
                    "succeeded" => await Merchants.CaptureAsync(key, id),
                    "canceled" => await Merchants.VoidAsync(key, id),
                    _ => null,
                };
                Assert.True(next is null || next.Status == HttpStatusCode.Created, next?.Body);
                return id;
            }

            switch (state)
            {
                case "requires_confirmation":
                    return await WalletPayment();
                case "requires_capture":
                    return await Merchants.AuthorizeAsync(key, 1_000);
                case "succeeded":
                    return (await Merchants.PayAsync(key, 1_000, Guid.NewGuid().ToString())).Json["id"]!.GetValue<string>();
                case "canceled":
                    var authorized = await Merchants.AuthorizeAsync(key, 1_000);
                    Assert.Equal(HttpStatusCode.Created, (await Merchants.VoidAsync(key, authorized)).Status);
                    return authorized;
                default:
                    var declined = await Merchants.PayAsync(key, 1_000, Guid.NewGuid().ToString(), method: MerchantClient.Card("4000000000000002"));
                    Assert.Equal(HttpStatusCode.PaymentRequired, declined.Status);
                    return declined.Json["payment"]!["id"]!.GetValue<string>();
            }
        }

        var table = new (string State, string Action, string Expected)[]
        {
            ("requires_confirmation", "confirm", "201 requires_capture"),
            ("requires_confirmation", "capture", "409 PAYMENT_NOT_CAPTURABLE"),
            ("requires_confirmation", "void", "201 canceled"),
            ("requires_confirmation", "refund", "409 PAYMENT_NOT_REFUNDABLE"),
            ("requires_capture", "confirm", "409 PAYMENT_NOT_CONFIRMABLE"),
            ("requires_capture", "capture", "201 succeeded"),
            ("requires_capture", "void", "201 canceled"),
            ("requires_capture", "refund", "409 PAYMENT_NOT_REFUNDABLE"),
            ("succeeded", "confirm", "409 PAYMENT_NOT_CONFIRMABLE"),
            ("succeeded", "capture", "409 PAYMENT_NOT_CAPTURABLE"),
            ("succeeded", "void", "409 PAYMENT_NOT_CANCELABLE"),
            ("succeeded", "refund", "201 succeeded"),
            ("canceled", "confirm", "409 PAYMENT_NOT_CONFIRMABLE"),
            ("canceled", "capture", "409 PAYMENT_NOT_CAPTURABLE"),
            ("canceled", "void", "409 PAYMENT_NOT_CANCELABLE"),
            ("canceled", "refund", "409 PAYMENT_NOT_REFUNDABLE"),
            ("failed", "confirm", "404 NOT_FOUND"),
            ("failed", "capture", "409 PAYMENT_NOT_CAPTURABLE"),
            ("failed", "void", "409 PAYMENT_NOT_CANCELABLE"),
            ("failed", "refund", "409 PAYMENT_NOT_REFUNDABLE"),
        };
        foreach (var (state, action, expected) in table)
        {
            var id = await InState(state, wallet: action == "confirm");
            var before = await Merchants.GetAsync(key, id);
            Assert.Equal(state, before["status"]!.GetValue<string>());
            var response = action switch
            {
                "confirm" => await Merchants.ConfirmAsync(payer, id),
                "capture" => await Merchants.CaptureAsync(key, id),
                "void" => await Merchants.VoidAsync(key, id),
                _ => await Merchants.RefundAsync(key, id),
            };
            var after = await Merchants.GetAsync(key, id);
            var outcome = response.Status == HttpStatusCode.Created ? $"201 {after["status"]}" : $"{(int)response.Status} {response.Code}";
            Assert.True(expected == outcome, $"{action} from {state}: expected {expected}, got {outcome} ({response.Body})");
            if (response.Status != HttpStatusCode.Created)
            {
                Assert.Equal(before.ToJsonString(), after.ToJsonString());
            }
        }

        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Concurrent_capture_and_void_of_one_authorization_end_with_exactly_one_of_them()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_race");
        for (var round = 0; round < 10; round++)
        {
            var id = await Merchants.AuthorizeAsync(key, 2_000);
            var results = await Task.WhenAll(Merchants.CaptureAsync(key, id), Merchants.VoidAsync(key, id), Merchants.CaptureAsync(key, id), Merchants.VoidAsync(key, id));
            Assert.Equal(1, results.Count(result => result.Status == HttpStatusCode.Created));
            Assert.All(results.Where(result => result.Status != HttpStatusCode.Created), result => Assert.Equal(HttpStatusCode.Conflict, result.Status));
            var status = (await Merchants.GetAsync(key, id))["status"]!.GetValue<string>();
            Assert.Contains(status, s_settledStatuses);
        }

        var captured = 0L;
        var page = await Api.SendAsync(HttpMethod.Get, "/v1/payments?status=succeeded&limit=100", key);
        foreach (var payment in page.Json["data"]!.AsArray())
        {
            captured += payment!["amountCaptured"]!.GetValue<long>() - payment["fee"]!.GetValue<long>();
        }

        Assert.Equal((captured, 0), await Merchants.BalanceAsync(key));
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Concurrent_refunds_that_together_exceed_the_capture_refund_only_what_was_captured()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_refunds");
        var id = (await Merchants.PayAsync(key, 10_000, "refund-race")).Json["id"]!.GetValue<string>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Merchants.RefundAsync(key, id, 3_000)));
        Assert.Equal(3, results.Count(result => result.Status == HttpStatusCode.Created));
        Assert.All(results.Where(result => result.Status != HttpStatusCode.Created), result => Assert.Equal("REFUND_EXCEEDS_CAPTURED", result.Code));
        Assert.Equal(9_000, (await Merchants.GetAsync(key, id))["amountRefunded"]!.GetValue<long>());
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Theory]
    [InlineData("4000000000000002", "card_declined", false)]
    [InlineData("4000000000009995", "insufficient_funds", false)]
    [InlineData("4000000000000069", "expired_card", false)]
    [InlineData("4000000000000119", "processing_error", true)]
    public async Task A_declined_card_answers_402_with_its_decline_code_and_the_payment_recorded_as_failed(string number, string declineCode, bool retryable)
    {
        var (_, _, key) = await Merchants.MerchantAsync($"mp_decl_{declineCode[..4]}");
        var declined = await Merchants.PayAsync(key, 700, $"decline-{declineCode}", method: MerchantClient.Card(number));
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.Status);
        Assert.Equal("CARD_DECLINED", declined.Code);
        Assert.Equal(declineCode, declined.Json["declineCode"]!.GetValue<string>());
        Assert.Equal(retryable, declined.Json["retryable"]!.GetValue<bool>());
        var payment = await Merchants.GetAsync(key, declined.Json["payment"]!["id"]!.GetValue<string>());
        Assert.Equal("failed", payment["status"]!.GetValue<string>());
        Assert.Equal(declineCode, payment["declineCode"]!.GetValue<string>());

        // The same request with the same key gets the same answer, byte for byte.
        var repeat = await Merchants.PayAsync(key, 700, $"decline-{declineCode}", method: MerchantClient.Card(number));
        Assert.Equal(declined.Body, repeat.Body);
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));
    }

    [Fact]
    public async Task The_same_key_and_body_answers_the_same_payment_another_body_is_refused_and_concurrent_repeats_wait()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_idem");
        var acquirer = Silo.Services.GetRequiredService<SimulatedCardAcquirer>();
        var approvalsBefore = acquirer.Approvals;

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Merchants.PayAsync(key, 1_234, "same-key")));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        Assert.Single(answers.Select(answer => answer.Body).Distinct());
        Assert.Equal(approvalsBefore + 1, acquirer.Approvals);

        var other = await Merchants.PayAsync(key, 1_235, "same-key");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", other.Code);

        var list = await Api.SendAsync(HttpMethod.Get, "/v1/payments", key);
        Assert.Single(list.Json["data"]!.AsArray());
        Assert.Equal((1_234 - 66, 0), await Merchants.BalanceAsync(key));
    }

    [Fact]
    public async Task One_merchants_key_never_sees_or_touches_another_merchants_payments()
    {
        var (ownerA, merchantA, keyA) = await Merchants.MerchantAsync("mp_owner_a");
        var (ownerB, _, keyB) = await Merchants.MerchantAsync("mp_owner_b");
        var succeeded = (await Merchants.PayAsync(keyA, 5_000, "a-1")).Json["id"]!.GetValue<string>();
        var authorized = await Merchants.AuthorizeAsync(keyA, 5_000);

        foreach (var response in new[]
        {
            await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{succeeded}", keyB),
            await Api.SendAsync(HttpMethod.Get, $"/v1/payments/{succeeded}/events", keyB),
            await Merchants.RefundAsync(keyB, succeeded),
            await Merchants.CaptureAsync(keyB, authorized),
            await Merchants.VoidAsync(keyB, authorized),
            await Api.SendAsync(HttpMethod.Get, $"/v1/merchants/{merchantA}", ownerB),
            await Api.SendAsync(HttpMethod.Post, $"/v1/merchants/{merchantA}/api_keys", ownerB),
        })
        {
            Assert.True(response.Status == HttpStatusCode.NotFound, response.Body);
        }

        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/payments", keyB)).Json["data"]!.AsArray());
        Assert.Equal(2, (await Api.SendAsync(HttpMethod.Get, "/v1/payments", keyA)).Json["data"]!.AsArray().Count);
        Assert.Equal("requires_capture", (await Merchants.GetAsync(keyA, authorized))["status"]!.GetValue<string>());

        // A session acts on the dashboard only of a merchant it names (and owns), and API keys are not sessions.
        Assert.Equal("VALIDATION_ERROR", (await Merchants.CaptureAsync(ownerA, authorized)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/payments/{authorized}/capture?merchant={merchantA}", ownerB, null, Guid.NewGuid().ToString())).Status);
        Assert.Equal("requires_capture", (await Merchants.GetAsync(keyA, authorized))["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", keyA)).Status);
    }

    [Fact]
    public async Task Keys_are_shown_once_revoked_at_once_and_rolled_with_a_grace_period()
    {
        var (owner, merchantId, key) = await Merchants.MerchantAsync("mp_keys");
        Assert.Matches("^sk_test_[A-Za-z0-9_-]{43}$", key);
        var keys = await Api.SendAsync(HttpMethod.Get, $"/v1/merchants/{merchantId}/api_keys", owner);
        Assert.DoesNotContain(key, keys.Body, StringComparison.Ordinal);
        Assert.Null(keys.Json["data"]![0]!["secret"]);
        var keyId = keys.Json["data"]![0]!["id"]!.GetValue<string>();
        Assert.Equal(key[..16], keys.Json["data"]![0]!["prefix"]!.GetValue<string>());

        // Rolled with a day of grace: both work. Rolled again with none: the rolled one stops at once.
        var rolled = await Api.SendAsync(HttpMethod.Post, $"/v1/merchants/{merchantId}/api_keys/{keyId}/roll", owner, new { expiresInSeconds = 86_400 });
        Assert.True(rolled.Status == HttpStatusCode.Created, rolled.Body);
        var second = rolled.Json["secret"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", second)).Status);
        var third = await Api.SendAsync(HttpMethod.Post, $"/v1/merchants/{merchantId}/api_keys/{rolled.Json["id"]}/roll", owner, new { expiresInSeconds = 0 });
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", second)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", third.Json["secret"]!.GetValue<string>())).Status);

        var tooLong = await Api.SendAsync(HttpMethod.Post, $"/v1/merchants/{merchantId}/api_keys/{keyId}/roll", owner, new { expiresInSeconds = 604_801 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Equal("expiresInSeconds", tooLong.Json["field"]!.GetValue<string>());

        var revoked = await Api.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchantId}/api_keys/{keyId}", owner);
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.NotNull(revoked.Json["revokedAt"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", key)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", "sk_test_" + new string('A', 43))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", "sk_test_short")).Status);

        var mine = await Api.SendAsync(HttpMethod.Get, "/v1/merchants", owner);
        Assert.Equal([merchantId], mine.Json["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Hostile_payment_input_is_refused_with_a_code_and_changes_nothing()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_hostile");
        var metadata = Enumerable.Range(0, 21).ToDictionary(i => $"k{i}", i => "v");
        var cases = new (object Body, HttpStatusCode Status, string Code)[]
        {
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card("4242424242424241") }, HttpStatusCode.BadRequest, "INVALID_CARD"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card("1234567890123452") }, HttpStatusCode.BadRequest, "INVALID_CARD"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card("4242 4242 4242 4242") }, HttpStatusCode.BadRequest, "INVALID_CARD"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(cvc: "12") }, HttpStatusCode.BadRequest, "INVALID_CARD"),
            (new { amount = -5, currency = "USD", paymentMethod = MerchantClient.Card() }, HttpStatusCode.BadRequest, "INVALID_AMOUNT"),
            (new { amount = 0, currency = "USD", paymentMethod = MerchantClient.Card() }, HttpStatusCode.BadRequest, "INVALID_AMOUNT"),
            (new { amount = long.MaxValue, currency = "USD", paymentMethod = MerchantClient.Card() }, HttpStatusCode.BadRequest, "INVALID_AMOUNT"),
            (new { amount = 100, currency = "XXX", paymentMethod = MerchantClient.Card() }, HttpStatusCode.BadRequest, "INVALID_CURRENCY"),
            (new { amount = 100, currency = "EUR", paymentMethod = MerchantClient.Card() }, HttpStatusCode.UnprocessableEntity, "CURRENCY_MISMATCH"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), metadata }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), metadata = new Dictionary<string, string> { ["k"] = new string('x', 501) } }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), captureMethod = "later" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = new { type = "bitcoin" } }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = new { type = "wallet", user = "nobody_here" } }, HttpStatusCode.NotFound, "RECIPIENT_NOT_FOUND"),
            (new { amount = 100, currency = "USD" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            // A card number goes in the payment method only: free text is stored and shown back.
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), description = "card 4242 4242 4242 4242" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), customerReference = "4242424242424242" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), metadata = new Dictionary<string, string> { ["pan"] = "4242-4242-4242-4242" } }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), metadata = new Dictionary<string, string> { ["4242424242424242"] = "x" } }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
            (new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card(), description = "a\0b" }, HttpStatusCode.BadRequest, "VALIDATION_ERROR"),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var (body, status, code) = cases[i];
            var response = await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, body, $"hostile-{i}");
            Assert.True(response.Status == status && response.Code == code, $"case {i}: {response.Status} {response.Body}");
            Assert.DoesNotContain("4242424242424241", response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("4242", response.Body.Replace("\"last4\":\"4242\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var overflow = await Api.SendRawAsync(HttpMethod.Post, "/v1/payments", key, """{"amount":99999999999999999999,"currency":"USD","paymentMethod":{"type":"card","number":"4242424242424242","expMonth":1,"expYear":2030,"cvc":"123"}}""", "hostile-overflow");
        Assert.Equal(HttpStatusCode.BadRequest, overflow.Status);
        var noKey = await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, new { amount = 100, currency = "USD", paymentMethod = MerchantClient.Card() });
        Assert.Equal("IDEMPOTENCY_KEY_REQUIRED", noKey.Code);
        var badFilter = await Api.SendAsync(HttpMethod.Get, "/v1/payments?created[gte]=yesterday", key);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.Status);
        var unknownCurrency = await Api.SendAsync(HttpMethod.Get, "/v1/payments?currency=garbage", key);
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_CURRENCY", "currency"), (unknownCurrency.Status, unknownCurrency.Code, unknownCurrency.Json["field"]?.GetValue<string>()));
        foreach (var query in new[] { "currency=US%00", "customerReference=%ff%fe", "q=a%00" })
        {
            var unreadable = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?{query}", key);
            Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", query[..query.IndexOf('=', StringComparison.Ordinal)]), (unreadable.Status, unreadable.Code, unreadable.Json["field"]?.GetValue<string>()));
        }

        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/payments", key)).Json["data"]!.AsArray());
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));
    }

    [Fact]
    public async Task A_property_the_request_does_not_have_is_refused_naming_it()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_unknown_property");
        var card = new { type = "card", number = MerchantClient.Visa, expMonth = 12, expYear = 2030, cvc = "123" };
        var cases = new (object Body, string Field)[]
        {
            // Misspelt, captureMethod would have been ignored and the payment captured at once.
            (new { amount = 100, currency = "USD", captureMetod = "manual", paymentMethod = card }, "captureMetod"),
            (new { amount = 100, currency = "USD", paymentMethod = new { card.type, card.number, card.expMonth, card.expYear, card.cvc, cvv = "123" } }, "paymentMethod.cvv"),
            (new { amount = 100, currency = "USD", paymentMethod = card, customer = new { ip = "10.0.0.1", city = "Paris" } }, "customer.city"),
            // A value of the wrong type inside an object names its whole path, not only its own name.
            (new { amount = 100, currency = "USD", paymentMethod = new { card.type, card.number, expMonth = "12", card.expYear, card.cvc } }, "paymentMethod.expMonth"),
        };
        for (var i = 0; i < cases.Length; i++)
        {
            var (body, field) = cases[i];
            var response = await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, body, $"unknown-{i}");
            Assert.True(
                (response.Status, response.Code, response.Json["field"]?.GetValue<string>()) == (HttpStatusCode.BadRequest, "VALIDATION_ERROR", field),
                $"case {i}: {response.Status} {response.Body}");
        }

        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/payments", key)).Json["data"]!.AsArray());

        // Metadata's keys are the merchant's own: any key is a known one.
        var tagged = await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, new { amount = 100, currency = "USD", paymentMethod = card, metadata = new Dictionary<string, string> { ["captureMetod"] = "x" } }, "unknown-metadata");
        Assert.True(tagged.Status == HttpStatusCode.Created, tagged.Body);
    }

    [Fact]
    public async Task Listings_filter_and_page_newest_first()
    {
        var (_, _, key) = await Merchants.MerchantAsync("mp_list");
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var paid = await Merchants.PayAsync(key, 100 * (i + 1), $"list-{i}", i % 2 == 0 ? "automatic" : "manual", customerReference: i < 3 ? "cust_a" : "cust_b", description: $"order number {i}");
            ids.Add(paid.Json["id"]!.GetValue<string>());
        }

        ids.Reverse();
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?limit=3{(after is null ? "" : $"&startingAfter={after}")}", key);
            var data = page.Json["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
            seen.AddRange(data);
            after = page.Json["hasMore"]!.GetValue<bool>() ? data[^1] : null;
        }
        while (after is not null);
        Assert.Equal(ids, seen);

        async Task<int> CountAsync(string query) => (await Api.SendAsync(HttpMethod.Get, $"/v1/payments?{query}", key)).Json["data"]!.AsArray().Count;
        Assert.Equal(3, await CountAsync("status=requires_capture"));
        Assert.Equal(4, await CountAsync("status=succeeded"));
        Assert.Equal(3, await CountAsync("customerReference=cust_a"));
        Assert.Equal(3, await CountAsync("amount[gte]=300&amount[lte]=500"));
        Assert.Equal(1, await CountAsync("q=number%205"));
        Assert.Equal(1, await CountAsync($"q={ids[0][..30]}"));
        Assert.Equal(7, await CountAsync($"created[gte]={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"))}"));
        Assert.Equal(0, await CountAsync($"created[lt]={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"))}"));

        // A window's edges are exact: [createdAt, createdAt + 1 ms) holds that payment, and [.., createdAt) does not.
        var fourth = await Merchants.GetAsync(key, ids[3]);
        var createdAt = fourth["createdAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(PrefixedId.TimeOf(ids[3]), createdAt);
        string At(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O", CultureInfo.InvariantCulture));
        var window = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?created[gte]={At(createdAt)}&created[lt]={At(createdAt.AddMilliseconds(1))}", key);
        Assert.Contains(ids[3], window.Json["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var earlier = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?created[lt]={At(createdAt)}", key);
        Assert.DoesNotContain(ids[3], earlier.Json["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var later = await Api.SendAsync(HttpMethod.Get, $"/v1/payments?created[gte]={At(createdAt.AddTicks(1))}", key);
        Assert.DoesNotContain(ids[3], later.Json["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
    }
}
