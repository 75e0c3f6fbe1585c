using System.Diagnostics;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// The anonymous endpoints that spend CPU on a password have their own limits: per client address and per username,
/// and a bound on password hashes running at once that refuses (503, Retry-After) instead of queueing.
/// </summary>
public sealed class SignInLimitTests
{
    [Fact]
    public async Task Sign_ins_and_registrations_are_limited_per_address()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("signinaddr"), new Dictionary<string, string?>
        {
            ["Payments:Api:SignIn:LoginsPerAddressPerMinute"] = "3",
            ["Payments:Api:SignIn:SignupsPerAddressPerHour"] = "2",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);

        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync(api, "addr_one")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync(api, "addr_two")).Status);
        var third = await SignUpAsync(api, "addr_three");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("RATE_LIMITED", third.Code);
        Assert.InRange(third.Json["retryAfter"]!.GetValue<int>(), 60, 1800);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(api, $"addr_user_{attempt}")).Status);
        }

        var fourth = await LoginAsync(api, "addr_one");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.Status);
        Assert.Equal("RATE_LIMITED", fourth.Code);
        Assert.True(fourth.Json["retryable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Sign_ins_are_limited_per_username()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("signinname"), new Dictionary<string, string?>
        {
            ["Payments:Api:SignIn:LoginsPerUsernamePerMinute"] = "2",
            ["Payments:Users:LoginThrottle:FreeFailures"] = "100",
            ["Payments:Users:LoginThrottle:LockAfterFailures"] = "101",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(api, "name_target")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(api, "name_target")).Status);
        var third = await LoginAsync(api, "name_target");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("RATE_LIMITED", third.Code);

        // Another username is not held back by it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(api, "name_other")).Status);
    }

    [Fact]
    public async Task When_every_hashing_slot_is_busy_a_sign_in_is_refused_at_once_not_queued()
    {
        // One slot and a hash of a few hundred milliseconds: of a burst of sign-ins, some get the slot and the rest
        // are answered 503 with Retry-After before the first hash is done.
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("hashbound"), new Dictionary<string, string?>
        {
            ["Payments:Users:MaxConcurrentPasswordHashes"] = "1",
            ["Payments:Users:PasswordHashIterations"] = "1000000",
            ["Payments:Users:LoginThrottle:FreeFailures"] = "100",
            ["Payments:Users:LoginThrottle:LockAfterFailures"] = "101",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        await api.SignUpAsync("bound_user");

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var response = await LoginAsync(api, "bound_user");
            return (Response: response, Took: clock.Elapsed);
        }));

        var refused = answers.Where(answer => answer.Response.Status == HttpStatusCode.ServiceUnavailable).ToList();
        var checkedOnes = answers.Where(answer => answer.Response.Status == HttpStatusCode.Unauthorized).ToList();
        Assert.NotEmpty(refused);
        Assert.NotEmpty(checkedOnes);
        Assert.All(refused, answer => Assert.Equal("SERVICE_UNAVAILABLE", answer.Response.Code));
        Assert.All(refused, answer => Assert.Equal(1, answer.Response.Json["retryAfter"]!.GetValue<int>()));
        Assert.True(refused.Max(answer => answer.Took) < checkedOnes.Max(answer => answer.Took), "a refusal waited for a hash");
    }

    private static Task<ApiClient.Response> SignUpAsync(ApiClient api, string username) =>
        api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username, displayName = username, password = ApiClient.Password });

    private static Task<ApiClient.Response> LoginAsync(ApiClient api, string username) =>
        api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password = "not the right password" });
}
