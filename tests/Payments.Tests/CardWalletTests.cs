using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.CardNetworks;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The card wallet through the API: devices, provisioning, verification, lifecycle, lost devices and in-app payments.</summary>
public sealed class CardWalletTests() : ApiTest("card-wallet")
{
    private static readonly string[] s_lostDeviceCodes = ["DEVICE_LOST", "CARD_STATUS_CONFLICT"];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:CardWallet:VerificationLockout"] = "00:00:02",
        ["Payments:CardWallet:LostDeviceRetryInterval"] = "00:00:00.200",
        ["Payments:CardNetworks:Simulated:FaultsRefreshInterval"] = "00:00:00",
        ["Payments:CardNetworks:Resilience:AttemptTimeout"] = "00:00:01",
        ["Payments:CardNetworks:Resilience:RetryDelay"] = "00:00:00.010",
        ["Payments:CardNetworks:Resilience:MaxRetries"] = "1",
        // This class's failing networks must come back at once; the breaker has its own test class.
        ["Payments:CardNetworks:Resilience:BreakMinimumCalls"] = "1000",
    };

    private CardWalletClient Cards => new(Api);

    private MerchantClient Merchants => new(Api);

    private NpgsqlDataSource Database => Silo.Services.GetRequiredService<NpgsqlDataSource>();

    [Fact]
    public async Task A_card_is_provisioned_suspended_reactivated_made_default_and_removed_with_an_audit_trail()
    {
        var (userId, user) = await Api.SignUpAsync("cw_life");
        var phone = await Cards.DeviceAsync(user, "Ana's phone");
        var provisioned = await Cards.ProvisionAsync(user, phone, CardWalletClient.Visa);
        Assert.True(provisioned.Status == HttpStatusCode.Created, provisioned.Body);
        var card = provisioned.Json;
        Assert.Equal(("visa", "4242", "active", phone, "credit"), (card["network"]!.GetValue<string>(), card["last4"]!.GetValue<string>(), card["status"]!.GetValue<string>(), card["deviceId"]!.GetValue<string>(), card["kind"]!.GetValue<string>()));
        Assert.DoesNotContain(CardWalletClient.Visa, provisioned.Body, StringComparison.Ordinal);
        var id = card["id"]!.GetValue<string>();

        var suspended = await Cards.SuspendAsync(user, id, "misplaced");
        Assert.Equal(("suspended", "misplaced"), (suspended.Json["status"]!.GetValue<string>(), suspended.Json["statusReason"]!.GetValue<string>()));
        Assert.Equal("CARD_STATUS_CONFLICT", (await Cards.SuspendAsync(user, id)).Code);
        Assert.Equal("CARD_STATUS_CONFLICT", (await Cards.MakeDefaultAsync(user, id)).Code);
        Assert.Equal("active", (await Cards.ReactivateAsync(user, id)).Json["status"]!.GetValue<string>());

        // One default per user: making a second card the default takes it from the first.
        var (other, _) = await Cards.CardAsync(user, phone, CardWalletClient.Mastercard);
        Assert.True((await Cards.MakeDefaultAsync(user, id)).Json["isDefault"]!.GetValue<bool>());
        Assert.True((await Cards.MakeDefaultAsync(user, other)).Json["isDefault"]!.GetValue<bool>());
        Assert.False((await Cards.GetAsync(user, id)).Json["isDefault"]!.GetValue<bool>());

        // Another user sees none of it.
        var (_, stranger) = await Api.SignUpAsync("cw_stranger");
        Assert.Equal(HttpStatusCode.NotFound, (await Cards.GetAsync(stranger, id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Cards.SuspendAsync(stranger, id)).Status);
        Assert.Empty(await Cards.ListAsync(stranger));

        Assert.Equal("removed", (await Cards.RemoveAsync(user, id)).Json["status"]!.GetValue<string>());
        Assert.Equal([other], (await Cards.ListAsync(user)).Select(listed => listed!["id"]!.GetValue<string>()));
        Assert.Equal(["card.provisioned", "card.suspended", "card.reactivated", "card.made_default", "card.removed"], await Cards.EventTypesAsync(user, id));
        var events = (await Api.SendAsync(HttpMethod.Get, $"/v1/cards/{id}/events", user)).Json["data"]!.AsArray();
        Assert.All(events, line => Assert.Equal($"user:{userId}", line!["actor"]!.GetValue<string>()));
        Assert.Equal("misplaced", events[1]!["detail"]!["reason"]!.GetValue<string>());

        // The network agrees: the token is deleted there too.
        await using var command = Database.CreateCommand("SELECT status FROM card_network_simulator.tokens WHERE token_reference = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card["tokenReference"]!.GetValue<string>() });
        Assert.Equal("deleted", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_card_needing_a_code_is_verified_and_three_wrong_codes_lock_it_for_a_while()
    {
        var (_, user) = await Api.SignUpAsync("cw_verify");
        var phone = await Cards.DeviceAsync(user);
        var pending = await Cards.ProvisionAsync(user, phone, CardWalletClient.VisaNeedsCode);
        Assert.True(pending.Status == HttpStatusCode.Accepted, pending.Body);
        Assert.Equal(["sms", "email"], pending.Json["methods"]!.AsArray().Select(method => method!.GetValue<string>()));
        var id = pending.Json["cardId"]!.GetValue<string>();
        Assert.Equal("pending_verification", await Cards.StatusAsync(user, id));
        var code = await SimulatedCardNetwork.SentCodeAsync(Database, pending.Json["card"]!["tokenReference"]!.GetValue<string>());
        Assert.NotNull(code);
        var wrong = code == "000000" ? "111111" : "000000";

        Assert.Equal("VERIFICATION_FAILED", (await Cards.VerifyAsync(user, id, wrong)).Code);
        Assert.Equal("VERIFICATION_FAILED", (await Cards.VerifyAsync(user, id, wrong)).Code);
        var locked = await Cards.VerifyAsync(user, id, wrong);
        Assert.Equal((HttpStatusCode.Locked, "VERIFICATION_LOCKED"), (locked.Status, locked.Code));
        Assert.True(locked.Json["retryAfter"]!.GetValue<int>() > 0, locked.Body);

        // Even the right code waits out the lock.
        Assert.Equal("VERIFICATION_LOCKED", (await Cards.VerifyAsync(user, id, code!)).Code);
        Assert.Equal("pending_verification", await Cards.StatusAsync(user, id));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var verified = await Cards.VerifyAsync(user, id, code!);
        Assert.True(verified.Status == HttpStatusCode.OK, verified.Body);
        Assert.Equal("active", verified.Json["status"]!.GetValue<string>());
        Assert.Equal(
            ["card.provisioned", "card.verification_failed", "card.verification_failed", "card.verification_locked", "card.verified"],
            await Cards.EventTypesAsync(user, id));
    }

    [Fact]
    public async Task Hostile_card_input_is_refused_with_a_clear_error_and_nothing_is_stored()
    {
        var (_, user) = await Api.SignUpAsync("cw_hostile");
        var phone = await Cards.DeviceAsync(user);
        var cases = new (object Body, HttpStatusCode Status, string Code, string? Field)[]
        {
            (Card(phone, "4242424242424241"), HttpStatusCode.BadRequest, "INVALID_CARD", "number"),
            (Card(phone, "4242 4242 4242 4242"), HttpStatusCode.BadRequest, "INVALID_CARD", "number"),
            (Card(phone, "42424242424242abcd"), HttpStatusCode.BadRequest, "INVALID_CARD", "number"),
            (Card(phone, new string('4', 29) + "2"), HttpStatusCode.BadRequest, "INVALID_CARD", "number"),
            (Card(phone, "6200000000000005"), HttpStatusCode.UnprocessableEntity, "UNSUPPORTED_CARD", "number"),
            (Card(phone, CardWalletClient.Visa, expYear: 2020), HttpStatusCode.BadRequest, "INVALID_CARD", "expYear"),
            (Card(phone, CardWalletClient.Visa, cvc: "12a"), HttpStatusCode.BadRequest, "INVALID_CARD", "cvc"),
            (Card(phone, CardWalletClient.Visa, name: new string('x', 101)), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "cardholderName"),
            (Card(phone, CardWalletClient.Visa, name: new string('x', 50_000)), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "cardholderName"),
            (Card(phone, CardWalletClient.Visa, name: "bad\u0000name"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "cardholderName"),
            (Card(phone, CardWalletClient.Visa, name: CardWalletClient.Visa), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "cardholderName"),
            (Card("dev_nope", CardWalletClient.Visa), HttpStatusCode.NotFound, "NOT_FOUND", "deviceId"),
            (Card("dev_" + new string('0', 32), CardWalletClient.Visa), HttpStatusCode.NotFound, "NOT_FOUND", "deviceId"),
        };
        foreach (var (body, status, code, field) in cases)
        {
            var refused = await Api.SendAsync(HttpMethod.Post, "/v1/cards", user, body, Guid.NewGuid().ToString());
            Assert.True(refused.Status == status, $"{refused.Status} {refused.Body}");
            Assert.Equal((code, field), (refused.Code, refused.Json["field"]?.GetValue<string>()));
        }

        var noKey = await Api.SendAsync(HttpMethod.Post, "/v1/cards", user, Card(phone, CardWalletClient.Visa));
        Assert.Equal("IDEMPOTENCY_KEY_REQUIRED", noKey.Code);
        var badDevice = await Api.SendAsync(HttpMethod.Get, "/v1/cards?device=garbage", user);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "device"), (badDevice.Status, badDevice.Code, badDevice.Json["field"]?.GetValue<string>()));
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(HttpMethod.Post, "/v1/devices", user, new { name = "x", platform = "nokia" })).Code);
        Assert.Equal("VALIDATION_ERROR", (await Api.SendAsync(HttpMethod.Post, "/v1/devices", user, new { name = new string('n', 65), platform = "ios" })).Code);
        Assert.Equal(0, await CountAsync("card_tokens"));
        Assert.Equal(0, await CountAsync("card_network_simulator.tokens"));
    }

    [Fact]
    public async Task The_same_card_is_refused_on_the_same_device_and_is_a_new_token_on_another_and_a_declined_card_is_422()
    {
        var (_, user) = await Api.SignUpAsync("cw_twice");
        var phone = await Cards.DeviceAsync(user, "Phone");
        var watch = await Cards.DeviceAsync(user, "Watch", "watchos");
        var first = await Cards.ProvisionAsync(user, phone, idempotencyKey: "add-visa");
        Assert.Equal(HttpStatusCode.Created, first.Status);

        // A retry with the key answers the same card; a new request for the same card on the device is refused.
        Assert.Equal(first.Body, (await Cards.ProvisionAsync(user, phone, idempotencyKey: "add-visa")).Body);
        var again = await Cards.ProvisionAsync(user, phone);
        Assert.Equal((HttpStatusCode.Conflict, "CARD_ALREADY_ADDED"), (again.Status, again.Code));
        Assert.Contains(first.Json["id"]!.GetValue<string>(), again.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var onWatch = await Cards.ProvisionAsync(user, watch);
        Assert.Equal(HttpStatusCode.Created, onWatch.Status);
        Assert.NotEqual(first.Json["tokenReference"]!.GetValue<string>(), onWatch.Json["tokenReference"]!.GetValue<string>());
        Assert.Equal(2, (await Cards.ListAsync(user)).Count);
        Assert.Single(await Cards.ListAsync(user, watch));

        var declined = await Cards.ProvisionAsync(user, phone, CardWalletClient.VisaDeclined);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "CARD_DECLINED"), (declined.Status, declined.Code));
        Assert.Equal(2, await CountAsync("card_tokens"));

        // Ten devices at most.
        for (var i = 2; i < 10; i++)
        {
            await Cards.DeviceAsync(user, $"Tablet {i}");
        }

        var eleventh = await Api.SendAsync(HttpMethod.Post, "/v1/devices", user, new { name = "One too many", platform = "android" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "DEVICE_LIMIT_REACHED"), (eleventh.Status, eleventh.Code));
        Assert.Equal(10, (await Api.SendAsync(HttpMethod.Get, "/v1/devices", user)).Json["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_provisioning_retries_with_one_key_give_exactly_one_token()
    {
        var (_, user) = await Api.SignUpAsync("cw_race");
        var phone = await Cards.DeviceAsync(user);
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Cards.ProvisionAsync(user, phone, CardWalletClient.Mastercard, "one-key")));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        Assert.Single(answers.Select(answer => answer.Json["id"]!.GetValue<string>()).Distinct());

        // Different keys for the same card at once: one token stands, the others are refused.
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Cards.ProvisionAsync(user, phone, CardWalletClient.Visa)));
        Assert.Single(racing, answer => answer.Status == HttpStatusCode.Created);
        Assert.All(racing.Where(answer => answer.Status != HttpStatusCode.Created), answer => Assert.Equal("CARD_ALREADY_ADDED", answer.Code));
        Assert.Equal(2, await CountAsync("card_tokens"));
        Assert.Equal(2, await CountAsync("card_network_simulator.tokens WHERE status <> 'deleted'"));
    }

    [Fact]
    public async Task An_in_app_payment_pays_once_and_a_replayed_or_tampered_cryptogram_is_refused()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("cw_shop");
        var (_, payer) = await Api.SignUpAsync("cw_payer");
        var phone = await Cards.DeviceAsync(payer);
        var (card, device) = await Cards.CardAsync(payer, phone);

        var (paymentId, paid) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer", card, device, 2_500);
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        Assert.Equal("succeeded", paid.Json["status"]!.GetValue<string>());
        var method = paid.Json["paymentMethod"]!;
        Assert.Equal(("network_token", card, "4242"), (method["type"]!.GetValue<string>(), method["card"]!.GetValue<string>(), method["last4"]!.GetValue<string>()));
        Assert.Equal((2_500 - 103, 0), await Merchants.BalanceAsync(key));

        // The same cryptogram for a second payment of the same amount: its counter was used.
        var used = device.Pay(1_000, "USD", merchantId);
        var (usedId, usedOnce) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer", card, device, 1_000, used);
        Assert.Equal(HttpStatusCode.Created, usedOnce.Status);
        var (replayedId, replayed) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer", card, device, 1_000, used);
        Assert.Equal((HttpStatusCode.PaymentRequired, "CARD_DECLINED", "replayed_cryptogram"), (replayed.Status, replayed.Code, replayed.Json["declineCode"]!.GetValue<string>()));
        Assert.Equal("requires_confirmation", (await Merchants.GetAsync(key, replayedId))["status"]!.GetValue<string>());

        // A cryptogram made for 1,000 does not pay 9,000, nor another merchant.
        var (_, tampered) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer", card, device, 9_000, device.Pay(1_000, "USD", merchantId));
        Assert.Equal("invalid_cryptogram", tampered.Json["declineCode"]!.GetValue<string>());

        // A retry of the confirmation with its key answers the first answer and charges nothing more.
        var fresh = device.Pay(700, "USD", merchantId);
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/payments", key, new { amount = 700, currency = "USD", paymentMethod = new { type = "wallet", user = "cw_payer" } }, Guid.NewGuid().ToString());
        var id = created.Json["id"]!.GetValue<string>();
        var once = await Cards.ConfirmAsync(payer, id, card, fresh, "confirm-once");
        Assert.Equal(once.Body, (await Cards.ConfirmAsync(payer, id, card, fresh, "confirm-once")).Body);

        var transactions = (await Api.SendAsync(HttpMethod.Get, $"/v1/cards/{card}/transactions?limit=2", payer)).Json;
        Assert.Equal([id, usedId], transactions["data"]!.AsArray().Select(line => line!["paymentId"]!.GetValue<string>()));
        Assert.True(transactions["hasMore"]!.GetValue<bool>());
        Assert.Equal("cw_shop shop", transactions["data"]![0]!["merchantName"]!.GetValue<string>());
        var next = (await Api.SendAsync(HttpMethod.Get, $"/v1/cards/{card}/transactions?startingAfter={usedId}", payer)).Json;
        Assert.Equal([paymentId], next["data"]!.AsArray().Select(line => line!["paymentId"]!.GetValue<string>()));
        Assert.False(next["hasMore"]!.GetValue<bool>());
        Assert.Equal((2_500 + 1_000 + 700 - 103 - 59 - 50, 0), await Merchants.BalanceAsync(key));
        await Merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_suspended_card_and_a_card_on_a_lost_device_cannot_pay()
    {
        var (_, merchantId, key) = await Merchants.MerchantAsync("cw_shop2");
        var (_, payer) = await Api.SignUpAsync("cw_payer2");
        var phone = await Cards.DeviceAsync(payer);
        var (card, device) = await Cards.CardAsync(payer, phone);
        Assert.Equal(HttpStatusCode.OK, (await Cards.SuspendAsync(payer, card)).Status);
        var (_, refused) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer2", card, device, 500);
        Assert.Equal((HttpStatusCode.Conflict, "CARD_STATUS_CONFLICT"), (refused.Status, refused.Code));

        Assert.Equal(HttpStatusCode.OK, (await Cards.ReactivateAsync(payer, card)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Cards.ReportLostAsync(payer, phone)).Status);
        var (_, lost) = await Cards.PayInAppAsync(key, merchantId, payer, "cw_payer2", card, device, 500);
        Assert.Equal(HttpStatusCode.Conflict, lost.Status);
        Assert.Contains(lost.Code, s_lostDeviceCodes);
        Assert.Equal("DEVICE_LOST", (await Cards.ReactivateAsync(payer, card)).Code);
        Assert.Equal((0, 0), await Merchants.BalanceAsync(key));
    }

    [Fact]
    public async Task A_lost_device_suspends_all_its_cards_even_with_a_network_failing_partway_and_revokes_its_sessions()
    {
        var (_, user) = await Api.SignUpAsync("cw_lost");
        var phone = await Cards.DeviceAsync(user);
        var laptop = await Cards.DeviceAsync(user, "Laptop", "web");
        var (visa1, _) = await Cards.CardAsync(user, phone, CardWalletClient.Visa);
        var (visa2, _) = await Cards.CardAsync(user, phone, "4000056655665556");
        var (mastercard, _) = await Cards.CardAsync(user, phone, CardWalletClient.Mastercard);
        var (elsewhere, _) = await Cards.CardAsync(user, laptop, CardWalletClient.Visa);

        // A session bound to the phone, and one that is not.
        var bound = await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "cw_lost", password = ApiClient.Password, deviceId = phone });
        Assert.True(bound.Status == HttpStatusCode.Created, bound.Body);
        var phoneSession = bound.Json["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", phoneSession)).Status);
        var (_, stranger) = await Api.SignUpAsync("cw_lost_other");
        var strangerDevice = await Cards.DeviceAsync(stranger);
        Assert.Equal("NOT_FOUND", (await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "cw_lost", password = ApiClient.Password, deviceId = strangerDevice })).Code);

        await Cards.SetFaultsAsync("visa", down: true);
        var report = await Cards.ReportLostAsync(user, phone);
        Assert.True(report.Status == HttpStatusCode.OK, report.Body);
        Assert.False(report.Json["complete"]!.GetValue<bool>());
        Assert.Equal([mastercard], report.Json["cardsSuspended"]!.AsArray().Select(id => id!.GetValue<string>()));
        Assert.Equal(new[] { visa1, visa2 }.Order(), report.Json["cardsPending"]!.AsArray().Select(id => id!.GetValue<string>()).Order());
        Assert.Equal(1, report.Json["sessionsRevoked"]!.GetValue<int>());
        Assert.Null(report.Json["revokedSessionKeys"]); // the keys go only to the front end, which forgets those sessions
        Assert.Equal("lost", report.Json["device"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", phoneSession)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", user)).Status);

        // The network comes back; the device finishes on its own.
        await Cards.SetFaultsAsync("visa");
        await Eventually.TrueAsync(async () => await Cards.StatusAsync(user, visa1) == "suspended" && await Cards.StatusAsync(user, visa2) == "suspended", TimeSpan.FromSeconds(30), "the lost device's Visa cards are suspended");
        var repeat = await Cards.ReportLostAsync(user, phone);
        Assert.True(repeat.Json["complete"]!.GetValue<bool>(), repeat.Body);
        Assert.Equal("active", await Cards.StatusAsync(user, elsewhere));
        var events = (await Api.SendAsync(HttpMethod.Get, $"/v1/cards/{visa1}/events", user)).Json["data"]!.AsArray();
        Assert.Equal(("card.suspended", "system", "device_lost"), (events[^1]!["type"]!.GetValue<string>(), events[^1]!["actor"]!.GetValue<string>(), events[^1]!["detail"]!["reason"]!.GetValue<string>()));
        Assert.Equal("DEVICE_LOST", (await Cards.ProvisionAsync(user, phone, CardWalletClient.Mastercard)).Code);
    }

    [Fact]
    public async Task A_network_that_is_down_leaves_the_card_unchanged_with_a_retryable_503()
    {
        var (_, user) = await Api.SignUpAsync("cw_down");
        var phone = await Cards.DeviceAsync(user);
        var (card, _) = await Cards.CardAsync(user, phone, CardWalletClient.Mastercard);
        await Cards.SetFaultsAsync("mastercard", down: true);
        var refused = await Cards.SuspendAsync(user, card);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "NETWORK_UNAVAILABLE"), (refused.Status, refused.Code));
        Assert.True(refused.Json["retryable"]!.GetValue<bool>(), refused.Body);
        Assert.Equal("active", await Cards.StatusAsync(user, card));
        Assert.Equal("NETWORK_UNAVAILABLE", (await Cards.ProvisionAsync(user, phone, "5200828282828210")).Code);

        await Cards.SetFaultsAsync("mastercard");
        Assert.Equal("suspended", (await Cards.SuspendAsync(user, card)).Json["status"]!.GetValue<string>());
        Assert.Equal(["card.provisioned", "card.suspended"], await Cards.EventTypesAsync(user, card));
    }

    private static object Card(string deviceId, string number, int expYear = 2030, string cvc = "123", string name = "Ana Lima") =>
        new { deviceId, number, expMonth = 12, expYear, cvc, cardholderName = name };

    private async Task<long> CountAsync(string from)
    {
        await using var command = Database.CreateCommand($"SELECT count(*) FROM {from}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
