using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Webhooks end to end: payments make events, the silo posts them to a receiver process that verifies every
/// signature with the StandardWebhooks package, retries on the schedule, and keeps a delivery log.
/// </summary>
public sealed class WebhookDeliveryTests() : WebhookReceiverTest("webhooks")
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);

    private static readonly string[] s_cards =
    [
        "4242424242424242", "5555555555554444", "4000056655665556", "5200828282828210",
        "5105105105105100", "2223003122003222", "6011111111111117", "6011000990139424",
    ];

    // Two quick retries after the first attempt; a hung receiver times out in 2 s.
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Payments:Webhooks:RetrySchedule:0"] = "00:00:00",
        ["Payments:Webhooks:RetrySchedule:1"] = "00:00:01",
        ["Payments:Webhooks:RetrySchedule:2"] = "00:00:01",
        ["Payments:Webhooks:Timeout"] = "00:00:02",
    };

    [Fact]
    public async Task A_captured_payment_reaches_its_subscribed_endpoint_signed_as_the_reference_library_verifies()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_shop");
        var endpoint = await CreateEndpointAsync(key, "shop", ["payment.succeeded"]);
        var secret = endpoint["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        await Receiver.SetAsync("shop", "ok", secret);

        var payment = await Merchants.PayAsync(key, 2_500, Guid.NewGuid().ToString());
        Assert.True(payment.Status == HttpStatusCode.Created, payment.Body);
        var paymentId = payment.Json["id"]!.GetValue<string>();

        var received = await ReceivedAsync("shop", 1);
        var webhook = received.Single()!;
        Assert.True(webhook["verified"]!.GetValue<bool>());
        Assert.Equal("payment.succeeded", webhook["type"]!.GetValue<string>());
        var body = JsonNode.Parse(webhook["body"]!.GetValue<string>())!;
        Assert.Equal((paymentId, webhook["webhookId"]!.GetValue<string>()), (body["data"]!["id"]!.GetValue<string>(), body["id"]!.GetValue<string>()));
        Assert.DoesNotContain("4242424242424242", webhook["body"]!.GetValue<string>(), StringComparison.Ordinal);

        // The log has it as succeeded at the first attempt (recorded after the receiver answered); the secret is never listed.
        var id = endpoint["id"]!.GetValue<string>();
        await Eventually.TrueAsync(async () => (await DeliveriesAsync(key, id)).Single()!["status"]!.GetValue<string>() == "succeeded", s_within, "the attempt is recorded");
        var log = await DeliveriesAsync(key, id);
        var delivery = Assert.Single(log)!;
        Assert.Equal(("succeeded", "payment.succeeded", 200), (delivery["status"]!.GetValue<string>(), delivery["eventType"]!.GetValue<string>(), delivery["attempts"]![0]!["statusCode"]!.GetValue<int>()));
        var listed = await Api.SendAsync(HttpMethod.Get, "/v1/webhook_endpoints", key);
        Assert.DoesNotContain(secret, listed.Body, StringComparison.Ordinal);
        Assert.Null(listed.Json["data"]![0]!["secret"]);

        // At rest the secret is encrypted: neither it nor its key part is in the row.
        await using var database = NpgsqlDataSource.Create(Silo.ConnectionString);
        await using var read = database.CreateCommand("SELECT secret FROM webhook_endpoints WHERE id = $1");
        read.Parameters.AddWithValue(id);
        var stored = (string)(await read.ExecuteScalarAsync())!;
        Assert.StartsWith("enc:v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_until_it_answers_and_each_attempt_is_logged()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_retry");
        var endpoint = await CreateEndpointAsync(key, "flaky", ["*"]);
        await Receiver.SetAsync("flaky", "fail", endpoint["secret"]!.GetValue<string>());
        var id = endpoint["id"]!.GetValue<string>();

        var test = await Api.SendAsync(HttpMethod.Post, $"/v1/webhook_endpoints/{id}/test", key);
        Assert.True(test.Status == HttpStatusCode.Accepted, test.Body);
        await ReceivedAsync("flaky", 2);
        await Receiver.SetAsync("flaky", "ok", endpoint["secret"]!.GetValue<string>());

        await Eventually.TrueAsync(async () => (await DeliveriesAsync(key, id)).Single()!["status"]!.GetValue<string>() == "succeeded", s_within, "the third attempt succeeds");
        var attempts = (await DeliveriesAsync(key, id)).Single()!["attempts"]!.AsArray();
        Assert.Equal([500, 500, 200], attempts.Select(attempt => attempt!["statusCode"]!.GetValue<int>()));
        Assert.Equal("failing on purpose", attempts[0]!["responseBody"]!.GetValue<string>());
        Assert.Equal("status 500", attempts[0]!["error"]!.GetValue<string>());
        Assert.All((await Receiver.ReceivedAsync("flaky")).Select(item => item!["type"]!.GetValue<string>()), type => Assert.Equal("test.ping", type));
    }

    [Fact]
    public async Task The_last_failure_ends_a_delivery_as_failed_and_a_hungReceiver_times_out()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_hang");
        var endpoint = await CreateEndpointAsync(key, "hung", ["*"]);
        await Receiver.SetAsync("hung", "hang", endpoint["secret"]!.GetValue<string>());
        var id = endpoint["id"]!.GetValue<string>();
        await Api.SendAsync(HttpMethod.Post, $"/v1/webhook_endpoints/{id}/test", key);

        await Eventually.TrueAsync(async () => (await DeliveriesAsync(key, id)).Single()!["status"]!.GetValue<string>() == "failed", s_within, "three attempts time out");
        var delivery = (await DeliveriesAsync(key, id, "?status=failed")).Single()!;
        Assert.Equal(3, delivery["attempts"]!.AsArray().Count);
        Assert.All(delivery["attempts"]!.AsArray(), attempt => Assert.Equal("no answer within 2 s", attempt!["error"]!.GetValue<string>()));
        Assert.Empty(await DeliveriesAsync(key, id, "?status=pending"));
    }

    [Fact]
    public async Task A_hung_endpoint_does_not_hold_back_another_endpoint_of_the_same_merchant()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_slow");
        var hung = await CreateEndpointAsync(key, "stuck", ["payment.succeeded"]);
        var healthy = await CreateEndpointAsync(key, "quick", ["payment.succeeded"]);
        await Receiver.SetAsync("stuck", "hang", hung["secret"]!.GetValue<string>());
        await Receiver.SetAsync("quick", "ok", healthy["secret"]!.GetValue<string>());

        // More payments than the hung endpoint has delivery slots (16): all of them queue behind hung sends there.
        const int Payments = 24;
        for (var i = 0; i < Payments; i++)
        {
            // Eight cards, three payments each: under the card velocity rule's limit.
            var paid = await Merchants.PayAsync(key, 100 + i, Guid.NewGuid().ToString(), method: MerchantClient.Card(s_cards[i % s_cards.Length]));
            Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        }

        // The healthy endpoint gets every event while the hung one has not had a single delivery succeed.
        var received = await ReceivedAsync("quick", Payments);
        Assert.All(received, webhook => Assert.True(webhook!["verified"]!.GetValue<bool>()));
        var hungId = hung["id"]!.GetValue<string>();
        Assert.Empty(await DeliveriesAsync(key, hungId, "?status=succeeded"));
        Assert.NotEmpty(await DeliveriesAsync(key, hungId, "?status=pending"));
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_at_once()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_gone");
        var endpoint = await CreateEndpointAsync(key, "gone", ["*"]);
        await Receiver.SetAsync("gone", "gone", endpoint["secret"]!.GetValue<string>());
        var id = endpoint["id"]!.GetValue<string>();
        await Api.SendAsync(HttpMethod.Post, $"/v1/webhook_endpoints/{id}/test", key);

        await Eventually.TrueAsync(async () => (await GetEndpointAsync(key, id))["status"]!.GetValue<string>() == "disabled", s_within, "a 410 disables the endpoint");
        Assert.Contains("410", (await GetEndpointAsync(key, id))["disabledReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(await Receiver.ReceivedAsync("gone"));
        var test = await Api.SendAsync(HttpMethod.Post, $"/v1/webhook_endpoints/{id}/test", key);
        Assert.Equal(HttpStatusCode.BadRequest, test.Status);

        var enabled = await Api.SendAsync(HttpMethod.Patch, $"/v1/webhook_endpoints/{id}", key, new { disabled = false });
        Assert.Equal(("enabled", null), (enabled.Json["status"]!.GetValue<string>(), enabled.Json["disabledReason"]));
    }

    [Fact]
    public async Task A_rolled_secret_keeps_signing_beside_the_new_one_and_a_resend_carries_the_same_id()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_roll");
        var endpoint = await CreateEndpointAsync(key, "old-secret", ["payment.succeeded"]);
        var id = endpoint["id"]!.GetValue<string>();
        var rolled = await Api.SendAsync(HttpMethod.Post, $"/v1/webhook_endpoints/{id}/roll_secret", key);
        Assert.True(rolled.Status == HttpStatusCode.OK, rolled.Body);
        var newSecret = rolled.Json["secret"]!.GetValue<string>();
        Assert.NotEqual(endpoint["secret"]!.GetValue<string>(), newSecret);

        // A receiver still on the old secret verifies; so would one on the new (two signatures go out).
        await Receiver.SetAsync("old-secret", "ok", endpoint["secret"]!.GetValue<string>());
        await Merchants.PayAsync(key, 700, Guid.NewGuid().ToString());
        var first = (await ReceivedAsync("old-secret", 1)).Single()!;
        Assert.Equal((true, 2), (first["verified"]!.GetValue<bool>(), first["signatures"]!.GetValue<int>()));

        await Receiver.SetAsync("old-secret", "ok", newSecret);
        var eventId = first["webhookId"]!.GetValue<string>();
        var resend = await Api.SendAsync(HttpMethod.Post, $"/v1/events/{eventId}/resend", key);
        Assert.True(resend.Status == HttpStatusCode.Accepted, resend.Body);
        var again = (await ReceivedAsync("old-secret", 2))[1]!;
        Assert.Equal((eventId, true), (again["webhookId"]!.GetValue<string>(), again["verified"]!.GetValue<bool>()));
        Assert.Equal(first["body"]!.GetValue<string>(), again["body"]!.GetValue<string>());

        // Another merchant's key finds neither the endpoint nor the event.
        var (_, _, otherKey) = await Merchants.MerchantAsync("wh_other");
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, $"/v1/webhook_endpoints/{id}", otherKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/events/{eventId}/resend", otherKey)).Status);
    }

    [Fact]
    public async Task Bad_endpoint_settings_are_refused_with_the_field_and_change_nothing()
    {
        var (_, _, key) = await Merchants.MerchantAsync("wh_bad");
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { url = "not a url", enabledEvents = new[] { "*" } }, "url"),
            (new { url = "ftp://example.com/hook", enabledEvents = new[] { "*" } }, "url"),
            (new { url = Receiver.Hook("x"), enabledEvents = new[] { "payment.exploded" } }, "enabledEvents"),
            (new { url = Receiver.Hook("x"), enabledEvents = Array.Empty<string>() }, "enabledEvents"),
            (new { url = Receiver.Hook("x"), enabledEvents = new[] { "*" }, description = new string('d', 501) }, "description"),
            (new { url = Receiver.Hook("x"), enabledEvents = new[] { "*" }, description = "a\0b" }, "description"),
            (new { url = "https://93.184.216.34:0/hook", enabledEvents = new[] { "*" } }, "url"),
        })
        {
            var refused = await Api.SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", key, body);
            Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", field), (refused.Status, refused.Code, refused.Json["field"]?.GetValue<string>()));
        }

        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/webhook_endpoints", key)).Json["data"]!.AsArray());

        // A change the database could not store is refused whole: the endpoint is not disabled, its description stays.
        var endpoint = await CreateEndpointAsync(key, "wh-bad", ["*"]);
        var id = endpoint["id"]!.GetValue<string>();
        var change = await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/webhook_endpoints/{id}", key, new { description = "evil\0", disabled = true });
        Assert.Equal((HttpStatusCode.BadRequest, "description"), (change.Status, change.Json["field"]?.GetValue<string>()));
        var after = await GetEndpointAsync(key, id);
        Assert.Equal(("enabled", null), (after["status"]!.GetValue<string>(), after["description"]?.GetValue<string>()));

        // A change that comes with the disabling is saved with it: the listing (read from the table) says what the answer said.
        var paused = await Api.SendAsync(new HttpMethod("PATCH"), $"/v1/webhook_endpoints/{id}", key, new { description = "paused", disabled = true });
        Assert.Equal((HttpStatusCode.OK, "disabled", "paused"), (paused.Status, paused.Json["status"]!.GetValue<string>(), paused.Json["description"]?.GetValue<string>()));
        var listed = (await Api.SendAsync(HttpMethod.Get, "/v1/webhook_endpoints", key)).Json["data"]!.AsArray().Single()!;
        Assert.Equal(("disabled", "paused"), (listed["status"]!.GetValue<string>(), listed["description"]?.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, "/v1/webhook_endpoints/we_nonsense", key)).Status);
    }

    private async Task<JsonNode> CreateEndpointAsync(string key, string receiver, string[] events)
    {
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/webhook_endpoints", key, new { url = Receiver.Hook(receiver), enabledEvents = events });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return created.Json;
    }

    private async Task<JsonNode> GetEndpointAsync(string key, string id) => (await Api.SendAsync(HttpMethod.Get, $"/v1/webhook_endpoints/{id}", key)).Json;

    private async Task<JsonArray> DeliveriesAsync(string key, string endpointId, string query = "")
    {
        var page = await Api.SendAsync(HttpMethod.Get, $"/v1/webhook_endpoints/{endpointId}/deliveries{query}", key);
        Assert.True(page.Status == HttpStatusCode.OK, page.Body);
        return page.Json["data"]!.AsArray();
    }

    private async Task<JsonArray> ReceivedAsync(string receiver, int count)
    {
        await Eventually.TrueAsync(async () => (await Receiver.ReceivedAsync(receiver)).Count >= count, s_within, $"{count} webhooks reach {receiver}");
        return await Receiver.ReceivedAsync(receiver);
    }
}
