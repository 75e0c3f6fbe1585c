using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The API's own surface: per-caller rate limiting.</summary>
public sealed class ApiSurfaceTests
{
    [Fact]
    public async Task Each_caller_is_rate_limited_on_its_own()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("ratelimit"), new Dictionary<string, string?>
        {
            ["Payments:Api:RateLimit:PermitsPerSecond"] = "1",
            ["Payments:Api:RateLimit:Burst"] = "10",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var busy = await api.SignUpAsync("limited_busy");
        var quiet = await api.SignUpAsync("limited_quiet");

        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => api.SendAsync(HttpMethod.Get, "/v1/wallet", busy.Token)));
        var limited = burst.Where(response => response.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, response =>
        {
            Assert.Equal("RATE_LIMITED", response.Code);
            Assert.True(response.Json["retryable"]!.GetValue<bool>());
        });

        // Another user still gets through: the limit is per caller.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/v1/wallet", quiet.Token)).Status);
    }
}
