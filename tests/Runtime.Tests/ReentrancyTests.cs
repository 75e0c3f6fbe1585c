using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>[Reentrant] grains interleave at awaits but never run two segments at once.</summary>
public sealed class ReentrancyTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("reentrancy"));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_reentrant_grain_serves_a_call_while_another_is_awaiting()
    {
        var grain = _silo.GrainFactory.GetGrain<IReentrantTurnGrain>("interleave");
        var holding = grain.HoldFor(3_000); // Long enough that a loaded machine still asks while it holds.
        await Task.Delay(50);
        Assert.True(await grain.IsHolding());
        Assert.True(await holding);
    }

    [Fact]
    public async Task Interleaved_turns_never_run_two_segments_at_once()
    {
        var grain = _silo.GrainFactory.GetGrain<IReentrantTurnGrain>("segments");
        const int calls = 3_000;
        await Task.WhenAll(Enumerable.Range(0, calls).Select(i => Task.Run(() => grain.WorkOffGrain($"caller-{i % 10}", i))));

        var report = await grain.Report();
        Assert.Equal(calls, report.Calls);
        Assert.Equal(0, report.SegmentOverlaps);
        Assert.True(report.TurnOverlaps > 0, "With thousands of concurrent calls, reentrant turns are expected to interleave at their awaits.");
    }
}
