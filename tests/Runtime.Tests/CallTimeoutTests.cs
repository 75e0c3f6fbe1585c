using System.Diagnostics;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

public sealed class CallTimeoutTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(
        await TestPostgres.CreateDatabaseAsync("timeouts"),
        options =>
        {
            // Far above the quick call's 100 ms: on a loaded CI machine a first call (activation, JIT) took over 0.5 s.
            options.CallTimeout = TimeSpan.FromSeconds(2);
            options.CallTimeoutCheckInterval = TimeSpan.FromMilliseconds(100);
        });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_call_that_runs_too_long_and_a_call_queued_behind_it_both_time_out()
    {
        var grain = _silo.GrainFactory.GetGrain<ITurnGrain>("slow");
        var stopwatch = Stopwatch.StartNew();
        var running = grain.HangFor(6_000);
        var queued = grain.Work("behind", 0);

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => running);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queued);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Timeouts came after {stopwatch.Elapsed}, expected soon after 2 s, before the 6 s hang ends.");
    }

    [Fact]
    public async Task Calls_within_the_timeout_succeed()
    {
        var grain = _silo.GrainFactory.GetGrain<ITurnGrain>("quick");
        Assert.Equal(100, await grain.HangFor(100));
    }
}
