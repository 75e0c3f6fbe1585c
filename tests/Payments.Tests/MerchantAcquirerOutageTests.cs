using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Acquiring;
using Xunit;

namespace Payments.Tests;

/// <summary>An acquirer that does not answer: 503 retryable, and retries with the same key authorize once.</summary>
public sealed class MerchantAcquirerOutageTests() : ApiTest("merchant-acquirer-outage")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Acquirer:FailFirstCalls"] = "4",
        ["Payments:Acquirer:Resilience:MaxRetries"] = "1",
        ["Payments:Acquirer:Resilience:RetryDelay"] = "00:00:00.010",
    };

    [Fact]
    public async Task A_client_retrying_through_an_acquirer_outage_gets_one_authorization()
    {
        var merchants = new MerchantClient(Api);
        var (_, _, key) = await merchants.MerchantAsync("mo_shop");
        var acquirer = Silo.Services.GetRequiredService<SimulatedCardAcquirer>();

        // Two attempts per request (one retry inside the silo): the first two requests meet the four failures.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var unavailable = await merchants.PayAsync(key, 900, "outage-1");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE"), (unavailable.Status, unavailable.Code));
            Assert.True(unavailable.Json["retryable"]!.GetValue<bool>());
        }

        Assert.Empty((await Api.SendAsync(HttpMethod.Get, "/v1/payments", key)).Json["data"]!.AsArray());
        var paid = await merchants.PayAsync(key, 900, "outage-1");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        var again = await merchants.PayAsync(key, 900, "outage-1");
        Assert.Equal(paid.Body, again.Body);
        Assert.Equal(1, acquirer.Approvals);
        Assert.Single((await Api.SendAsync(HttpMethod.Get, "/v1/payments", key)).Json["data"]!.AsArray());
        await merchants.AssertLedgerBalancedAsync();
    }
}
