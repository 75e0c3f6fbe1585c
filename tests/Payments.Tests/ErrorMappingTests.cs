using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.TestSupport;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Xunit;
using Xunit.Abstractions;

namespace Payments.Tests;

/// <summary>
/// Orleans' failures become the API's errors: timeouts, unavailable silos, rejected messages and overload are 503
/// retryable (the client retries with the same Idempotency-Key); anything else is a 500 that says nothing more.
/// </summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<string> RetryableFailures => [.. s_retryable.Keys];

    public static TheoryData<string> OtherFailures => [.. s_notRetryable.Keys];

    private static readonly Dictionary<string, Func<Exception>> s_retryable = new()
    {
        ["a call that timed out"] = () => new TimeoutException("Response did not arrive on time in 00:00:30 for message: …"),
        ["a silo that became unavailable"] = () => new SiloUnavailableException("The target silo became unavailable for message: …"),
        ["a rejected message"] = () => Rejection("Exception while sending message: Unable to connect to endpoint S127.0.0.1:11111:0."),
        ["a gateway shedding load"] = () => new GatewayTooBusyException("Shedding load"),
        ["an activation over its queue limit"] = () => new LimitExceededException("MaxEnqueuedRequestsHardLimit", 10_001, 10_000, "wallet/usr_1"),
        ["a timeout inside an Orleans exception"] = () => new OrleansException("A grain call failed", new TimeoutException()),
        ["an aggregate of one rejection"] = () => new AggregateException(new SiloUnavailableException()),
    };

    private static readonly Dictionary<string, Func<Exception>> s_notRetryable = new()
    {
        ["a bad argument"] = () => new ArgumentException("Bad key", "key"),
        ["an invalid operation"] = () => new InvalidOperationException("Bug"),
        ["a bare Orleans exception"] = () => new OrleansException("Codec not found"),
        ["an aggregate of two failures"] = () => new AggregateException(new InvalidOperationException("a"), new ArgumentException("b")),
    };

    [Theory]
    [MemberData(nameof(RetryableFailures))]
    public void Orleans_unavailability_and_overload_are_retryable(string failure) =>
        Assert.True(ApiExceptionMiddleware.IsRetryable(s_retryable[failure]()), failure);

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public void Other_failures_are_not_retryable(string failure) =>
        Assert.False(ApiExceptionMiddleware.IsRetryable(s_notRetryable[failure]()), failure);

    [Fact]
    public async Task An_overloaded_activation_answers_503_retryable()
    {
        var (status, retryAfter, body) = await AnswerToAsync(new LimitExceededException("MaxEnqueuedRequestsHardLimit", 10_001, 10_000, "wallet/usr_1"));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("1", retryAfter);
        Assert.Equal(ErrorCodes.ServiceUnavailable, body["code"]!.GetValue<string>());
        Assert.True(body["retryable"]!.GetValue<bool>());
        Assert.DoesNotContain("wallet", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_that_is_not_retryable_answers_500_without_details()
    {
        var (status, _, body) = await AnswerToAsync(new InvalidOperationException("secret internal detail"));

        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.Equal(ErrorCodes.InternalError, body["code"]!.GetValue<string>());
        Assert.NotEqual(true, body["retryable"]?.GetValue<bool>());
        Assert.DoesNotContain("secret", body.ToJsonString(), StringComparison.Ordinal);
    }

    // OrleansMessageRejectionException has no public constructor: Orleans creates it when it rejects a message.
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.Instance | BindingFlags.NonPublic, binder: null, [message], culture: null)!;

    private static async Task<(int Status, string? RetryAfter, JsonNode Body)> AnswerToAsync(Exception failure)
    {
        var middleware = new ApiExceptionMiddleware(_ => throw failure, NullLogger<ApiExceptionMiddleware>.Instance);
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await middleware.InvokeAsync(context);
        context.Response.Body.Position = 0;
        var body = await JsonNode.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.Headers.RetryAfter.ToString(), body!);
    }
}

/// <summary>
/// A real overload: Orleans' per-activation request limit (Payments:Runtime:MaxQueuedRequestsPerActivation, Orleans'
/// MaxEnqueuedRequestsHardLimit) at its lowest allowed value, and a wallet whose commits stall (its row locked in the
/// database) while its user keeps sending. The sends past the limit are refused at once with 503 retryable instead of
/// queueing, and their retries with the same Idempotency-Key commit, each exactly once.
/// </summary>
public sealed class OverloadErrorMappingTests(ITestOutputHelper output) : ApiTest("overload")
{
    private const int QueueLimit = 100;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Runtime:MaxQueuedRequestsPerActivation"] = QueueLimit.ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Sends_past_a_stalled_wallets_request_limit_answer_503_retryable_and_commit_once_when_retried()
    {
        const long deposit = 100_000;
        var alice = await Api.SignUpAsync("stalled_alice", deposit: deposit);
        var bob = await Api.SignUpAsync("stalled_bob");

        // Alice's sends are admitted by her (reentrant) wallet grain, then wait for a commit that waits for the row.
        await using var connection = await Silo.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var stall = await connection.BeginTransactionAsync();
        // The stall lasts as long as a slow machine needs to refuse the burst: longer than the pool's idle-in-transaction limit.
        await using (var lockWallets = new NpgsqlCommand("SET LOCAL idle_in_transaction_session_timeout = 0; SELECT id FROM accounts WHERE kind = 'wallet' FOR UPDATE", connection, stall))
        {
            await lockWallets.ExecuteNonQueryAsync();
        }

        const int burst = QueueLimit + 40;
        var sends = Enumerable.Range(0, burst).Select(i => Api.TransferAsync(alice.Token, bob.Id, 1, $"stalled-{i}")).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(sends.Any(send => send.IsCompleted)), TimeSpan.FromSeconds(20), "sends past the limit are refused while the others wait");
        await Task.Delay(500);
        var answeredWhileStalled = sends.Where(send => send.IsCompleted).Select(send => send.Result).ToList();
        await stall.RollbackAsync();

        Assert.All(answeredWhileStalled, response =>
        {
            Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, response.Body);
            Assert.Equal(ErrorCodes.ServiceUnavailable, response.Code);
            Assert.True(response.Json["retryable"]!.GetValue<bool>(), response.Body);
        });
        var responses = await Task.WhenAll(sends);
        var refused = Enumerable.Range(0, burst).Where(i => responses[i].Status == HttpStatusCode.ServiceUnavailable).ToList();
        output.WriteLine($"{answeredWhileStalled.Count} of {burst} sends refused while the wallet's commits stalled, {refused.Count} refused in all.");
        Assert.All(Enumerable.Range(0, burst).Except(refused), i => Assert.True(responses[i].Status == HttpStatusCode.Created, responses[i].Body));
        foreach (var i in refused)
        {
            var retried = await ApiClient.RetryWhileUnavailableAsync(() => Api.TransferAsync(alice.Token, bob.Id, 1, $"stalled-{i}"), maxAttempts: 40, TimeSpan.FromMilliseconds(250));
            Assert.True(retried.Status == HttpStatusCode.Created, retried.Body);
        }

        Assert.Equal(deposit - burst, (await Api.WalletAsync(alice.Token))["balance"]!.GetValue<long>());
        Assert.Equal(burst, (await Api.WalletAsync(bob.Token))["balance"]!.GetValue<long>());
        Assert.True((await Api.AuditAsync(InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }
}
