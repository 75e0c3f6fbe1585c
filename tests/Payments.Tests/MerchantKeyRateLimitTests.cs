using System.Net;
using Xunit;

namespace Payments.Tests;

/// <summary>The per-caller rate limit applies per API key: one busy key is refused, another key of the same merchant is not.</summary>
public sealed class MerchantKeyRateLimitTests() : ApiTest("merchant-key-rate-limit")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Api:RateLimit:PermitsPerSecond"] = "1",
        ["Payments:Api:RateLimit:Burst"] = "6",
    };

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_Retry_After_while_another_key_goes_on()
    {
        var merchants = new MerchantClient(Api);
        var (owner, merchantId, busy) = await merchants.MerchantAsync("rl_shop");
        var other = (await Api.SendAsync(HttpMethod.Post, $"/v1/merchants/{merchantId}/api_keys", owner)).Json["secret"]!.GetValue<string>();

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20 && limited is null; i++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, "/v1/balance") { Headers = { { "Authorization", $"Bearer {busy}" } } };
            var response = await Api.Http.SendAsync(message);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("RATE_LIMITED", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/balance", other)).Status);
    }
}
