using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Banking;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The bank behind retries, timeouts and a circuit breaker, with injected failures.</summary>
public sealed class BankResilienceTests
{
    [Fact]
    public async Task Transient_bank_failures_are_retried_and_the_deposit_happens_once()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("bankretry"), new Dictionary<string, string?>
        {
            ["Payments:Bank:FailFirstCalls"] = "2",
            ["Payments:Bank:Resilience:RetryDelay"] = "00:00:00.010",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (_, token) = await api.SignUpAsync("retried_deposit");

        var deposit = await api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", token, new { amount = 700 }, "flaky-bank");
        Assert.Equal(HttpStatusCode.Created, deposit.Status);
        Assert.Equal(3, silo.Services.GetRequiredService<SimulatedBankGateway>().Calls);
        Assert.Equal(700, (await api.WalletAsync(token))["balance"]!.GetValue<long>());
        Assert.Single(await api.HistoryAsync(token));
    }

    [Fact]
    public async Task A_failing_bank_opens_the_circuit_and_deposits_fail_fast_and_retryably()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("bankbreaker"), new Dictionary<string, string?>
        {
            ["Payments:Bank:FailureRate"] = "1",
            ["Payments:Bank:Resilience:MaxRetries"] = "0",
            ["Payments:Bank:Resilience:BreakMinimumCalls"] = "4",
            ["Payments:Bank:Resilience:BreakDuration"] = "00:00:30",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (_, token) = await api.SignUpAsync("broken_bank");
        var bank = silo.Services.GetRequiredService<SimulatedBankGateway>();

        for (var i = 0; i < 4; i++)
        {
            var failed = await api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", token, new { amount = 100 }, $"down-{i}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
            Assert.Equal("SERVICE_UNAVAILABLE", failed.Code);
            Assert.True(failed.Json["retryable"]!.GetValue<bool>());
        }

        var callsWhenOpened = bank.Calls;
        var stopwatch = Stopwatch.StartNew();
        var refused = await api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", token, new { amount = 100 }, "while-open");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal(callsWhenOpened, bank.Calls); // The open circuit did not call the bank.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"The open circuit answered after {stopwatch.Elapsed}; it refuses at once, without retries or timeouts.");
        Assert.Equal(0, (await api.WalletAsync(token))["balance"]!.GetValue<long>());
        Assert.Empty(await api.HistoryAsync(token));
    }
}
