using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Expiry through the durable reminder, with the expiry shortened to two seconds for this silo.</summary>
public sealed class PaymentRequestExpiryTests() : ApiTest("request-expiry")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Requests:Expiry"] = "00:00:02",
    };

    [Fact]
    public async Task A_pending_request_expires_by_its_reminder_and_can_no_longer_be_paid()
    {
        var (_, requester) = await Api.SignUpAsync("exp_a1");
        var (_, requestee) = await Api.SignUpAsync("exp_b1", deposit: 10_000);
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "exp_b1", amount = 500, note = "" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json["id"]!.GetValue<string>();

        // Listing only reads rows, so the status can only change through the reminder. Generous bound: the reminder
        // is due after 2 s and polled every second; a loaded test machine may be slower.
        await Eventually.TrueAsync(
            async () => (await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent&status=expired", requester)).Json["data"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(60),
            "the request expired through its reminder");

        var pay = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "late");
        Assert.Equal((HttpStatusCode.Conflict, "REQUEST_NOT_PENDING"), (pay.Status, pay.Code));
        Assert.Equal(10_000, (await Api.WalletAsync(requestee))["balance"]!.GetValue<long>());
    }
}
