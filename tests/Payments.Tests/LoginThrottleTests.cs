using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Failed sign-ins per username: free ones, then a growing wait, then a lock; the owner is told when to retry; a
/// made-up username is answered alike; the count lives in PostgreSQL, so a second silo (here of another cluster on the
/// same database) sees it.
/// </summary>
public sealed class LoginThrottleTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["Payments:Users:LoginThrottle:FreeFailures"] = "2",
        ["Payments:Users:LoginThrottle:FirstDelay"] = "00:00:01",
        ["Payments:Users:LoginThrottle:LockAfterFailures"] = "4",
        ["Payments:Users:LoginThrottle:LockDuration"] = "00:10:00",
    };

    [Fact]
    public async Task Failures_bring_a_wait_then_a_lock_on_every_silo_and_the_owner_is_told_when_to_retry()
    {
        var database = await TestPostgres.CreateDatabaseAsync("throttle");
        await using var first = await InProcessSilo.StartAsync(database, new Dictionary<string, string?>(s_settings) { ["Payments:Cluster:ClusterId"] = "throttle-a" });
        await using var second = await InProcessSilo.StartAsync(database, new Dictionary<string, string?>(s_settings) { ["Payments:Cluster:ClusterId"] = "throttle-b" });
        using var httpA = first.CreateClient();
        using var httpB = second.CreateClient();
        var a = new ApiClient(httpA);
        var b = new ApiClient(httpB);
        await a.SignUpAsync("throttle_ann");

        // Two free failures, then a third that makes the next attempt wait a second: all plain 401s, on either silo.
        Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(a, "throttle_ann", "wrong password 1")).Code);
        Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(b, "throttle_ann", "wrong password 2")).Code);
        Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(a, "throttle_ann", "wrong password 3")).Code);

        // Right away, even the right password waits, on the other silo too: 429 with when to retry.
        var waiting = await LoginAsync(b, "throttle_ann", ApiClient.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.Status);
        Assert.Equal("TOO_MANY_ATTEMPTS", waiting.Code);
        Assert.InRange(waiting.Json["retryAfter"]!.GetValue<int>(), 1, 2);
        Assert.True(waiting.Json["retryable"]!.GetValue<bool>());
        Assert.Contains("try again after", waiting.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // After the wait, a fourth failure locks the username.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(b, "throttle_ann", "wrong password 4")).Code);
        var locked = await LoginAsync(a, "throttle_ann", ApiClient.Password);
        Assert.Equal((HttpStatusCode)423, locked.Status);
        Assert.Equal("ACCOUNT_LOCKED", locked.Code);
        Assert.InRange(locked.Json["retryAfter"]!.GetValue<int>(), 590, 600);
        Assert.Contains("min)", locked.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A made-up username goes through the same steps with the same answers.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(a, "throttle_nobody", "wrong password")).Code);
        }

        Assert.Equal("TOO_MANY_ATTEMPTS", (await LoginAsync(b, "throttle_nobody", "wrong password")).Code);
    }

    [Fact]
    public async Task The_right_password_clears_the_count()
    {
        var database = await TestPostgres.CreateDatabaseAsync("throttleok");
        await using var silo = await InProcessSilo.StartAsync(database, s_settings);
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        await api.SignUpAsync("throttle_bea");
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(api, "throttle_bea", "wrong password 1")).Code);
            Assert.Equal("INVALID_CREDENTIALS", (await LoginAsync(api, "throttle_bea", "wrong password 2")).Code);
            Assert.Equal(HttpStatusCode.Created, (await LoginAsync(api, "throttle_bea", ApiClient.Password)).Status);
        }
    }

    private static async Task<ApiClient.Response> LoginAsync(ApiClient api, string username, string password) =>
        await api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password });
}
