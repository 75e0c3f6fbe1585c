using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Turn-based execution: one turn at a time per activation, calls from one caller in order, errors reach callers.</summary>
public sealed class TurnTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("turns"));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Thousands_of_concurrent_calls_never_overlap_and_each_caller_is_served_in_order()
    {
        var grain = _silo.GrainFactory.GetGrain<ITurnGrain>("exclusive");
        const int callers = 50;
        const int callsPerCaller = 100;

        // Each caller sends all its calls without waiting in between; the runtime must keep their order.
        var calls = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
            Task.WhenAll(Enumerable.Range(0, callsPerCaller).Select(sequence => grain.WorkOffGrain($"caller-{caller}", sequence))))));

        var report = await grain.Report();
        Assert.Equal(callers * callsPerCaller, report.Calls);
        Assert.Equal(0, report.TurnOverlaps);
        Assert.Equal(0, report.SegmentOverlaps);
        Assert.Equal(callers, report.SequencesByCaller.Count);
        foreach (var (caller, sequences) in report.SequencesByCaller)
        {
            Assert.True(sequences.SequenceEqual(Enumerable.Range(0, callsPerCaller)), $"{caller} was served out of order: {string.Join(",", sequences.Take(20))}");
        }

        // Every call saw a distinct call count: the counter was never torn.
        Assert.Equal(callers * callsPerCaller, calls.SelectMany(results => results).Distinct().Count());
    }

    [Fact]
    public async Task A_non_reentrant_grain_does_not_start_a_call_while_another_is_awaiting()
    {
        var grain = _silo.GrainFactory.GetGrain<ITurnGrain>("no-interleave");
        var holding = grain.HoldFor(300);
        await Task.Delay(50);
        var sawHolding = await grain.IsHolding();
        Assert.True(await holding);
        Assert.False(sawHolding);
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_and_the_activation_keeps_serving()
    {
        var grain = _silo.GrainFactory.GetGrain<ITurnGrain>("faulty");
        var activationBefore = await grain.Work("probe", 0);

        var asyncError = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("async failure"));
        Assert.Equal("async failure", asyncError.Message);
        var syncError = await Assert.ThrowsAsync<ArgumentException>(() => grain.FailSynchronously("sync failure"));
        Assert.Equal("sync failure", syncError.Message);

        // Same activation, state intact: the call count continues from where it was.
        Assert.Equal(activationBefore + 1, await grain.Work("probe", 1));
    }
}
