using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Payments.Grains.Users;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Refusing a made-up bearer token is cheap: a token of the wrong shape costs no grain and no query, one of the right
/// shape leaves no session activation behind, one refused before is refused from memory, and a network that keeps
/// trying gets 429 with Retry-After before any lookup.
/// </summary>
public sealed class TokenRefusalTests() : ApiTest("refusals")
{
    private const int FailureBurst = 100;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Api:Authentication:FailureBurst"] = FailureBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Payments:Api:Authentication:FailuresPerSecond"] = "1",
    };

    public static TheoryData<string> MalformedTokens() =>
    [
        "not-a-real-token",
        new string('a', 42),
        new string('a', 44),
        new string('a', 42) + "=",
        new string('a', 42) + "+",
        new string('a', 42) + "/",
        // 43 base64url characters, but the last one sets padding bits no encoder of 32 bytes writes.
        new string('a', 42) + "B",
        new string('A', 512),
        // The operator's token is not a session token either.
        InProcessSilo.AdminToken,
    ];

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task A_token_of_the_wrong_shape_gets_401_without_a_grain_or_a_query(string token)
    {
        using var queries = new SessionQueries(Database);
        var refused = await Api.SendAsync(HttpMethod.Get, "/v1/wallet", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("UNAUTHENTICATED", refused.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, await NotificationSocketClient.TryConnectAsync(Silo.BaseAddress, token, tokenInQuery: true));
        Assert.Equal(0, await SessionActivationsAsync());
        Assert.Equal(0, queries.Count);

        // The counter does see a lookup: a token of the right shape is looked up once, then refused from memory.
        var madeUp = RandomToken();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", madeUp)).Status);
        Assert.Equal(1, queries.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", madeUp)).Status);
        Assert.Equal(1, queries.Count);
    }

    [Fact]
    public async Task Made_up_tokens_of_the_right_shape_get_401_and_leave_no_session_activation()
    {
        var alice = await Api.SignUpAsync("refuse_alice");
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", alice.Token)).Status);
        Assert.Equal(1, await SessionActivationsAsync());

        var refusals = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Api.SendAsync(HttpMethod.Get, "/v1/wallet", RandomToken())));
        Assert.All(refusals, refused => Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (refused.Status, refused.Code)));

        // Each lookup's activation is collected as its call returns; the live session's stays.
        await Eventually.TrueAsync(async () => await SessionActivationsAsync() == 1, TimeSpan.FromSeconds(10), "the activations of made-up sessions are collected at once");
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/v1/wallet", alice.Token)).Status);
    }

    [Fact]
    public async Task A_flood_of_bad_tokens_from_one_address_gets_429_with_retry_after_before_any_lookup()
    {
        // Until the first 429: the budget refills by one a second, so under load more than the burst may pass, but
        // never more than the burst and what refilled while the flood went on.
        var flood = Stopwatch.StartNew();
        var answers = new List<ApiClient.Response>();
        while (answers.Count < FailureBurst * 3 && (answers.Count == 0 || answers[^1].Status != HttpStatusCode.TooManyRequests))
        {
            answers.Add(await Api.SendAsync(HttpMethod.Get, "/v1/wallet", answers.Count % 2 == 0 ? RandomToken() : "garbage-token"));
        }

        var refilled = (int)Math.Ceiling(flood.Elapsed.TotalSeconds);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1].Status);
        Assert.All(answers.SkipLast(1), answer => Assert.Equal(HttpStatusCode.Unauthorized, answer.Status));
        Assert.InRange(answers.Count - 1, FailureBurst - 5, FailureBurst + refilled);
        var limited = answers[^1];
        Assert.Equal("RATE_LIMITED", limited.Code);
        Assert.True(limited.Json["retryable"]!.GetValue<bool>());
        Assert.True(limited.Json["retryAfter"]!.GetValue<int>() >= 1);

        // Retry-After is given, and while the budget is spent even a token of the right shape is not looked up.
        using var queries = new SessionQueries(Database);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/wallet");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RandomToken());
        using var response = await Api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, await NotificationSocketClient.TryConnectAsync(Silo.BaseAddress, RandomToken()));
        Assert.Equal(0, queries.Count);
        Assert.Equal(0, await SessionActivationsAsync());

        // Anonymous endpoints still answer (they have limits of their own).
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "refuse_after_flood", displayName = "After", password = "correct horse battery" })).Status);
    }

    private string Database => new NpgsqlConnectionStringBuilder(((NpgsqlDataSource)Silo.Services.GetService(typeof(NpgsqlDataSource))!).ConnectionString).Database!;

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<int> SessionActivationsAsync()
    {
        var statistics = await Silo.GrainFactory.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(statistic => statistic.GrainType.Contains(nameof(SessionGrain), StringComparison.Ordinal)).Sum(statistic => statistic.ActivationCount);
    }

    /// <summary>Counts the statements on this test's database that read or write the sessions table (Npgsql's tracing).</summary>
    private sealed class SessionQueries : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _statements = new();

        public SessionQueries(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    var statement = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                    var name = activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name");
                    if (statement is string text && text.Contains("FROM sessions", StringComparison.Ordinal) && Equals(name, database))
                    {
                        _statements.Enqueue(text);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => _statements.Count;

        public void Dispose() => _listener.Dispose();
    }
}
