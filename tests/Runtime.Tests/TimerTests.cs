using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

public sealed class TimerTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("timers"));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Timer_ticks_run_as_turns_of_the_grain_and_stop_when_disposed()
    {
        var grain = _silo.GrainFactory.GetGrain<ITickingGrain>("ticker");
        await grain.Start(periodMilliseconds: 20);

        // Slow calls interleave with ticks; a tick inside a call would count as an overlap.
        for (var i = 0; i < 5; i++)
        {
            await grain.SlowCall(60);
        }

        await Eventually.TrueAsync(async () => (await grain.Read()).Ticks >= 5, TimeSpan.FromSeconds(5), "the timer ticks");
        await grain.Stop();
        var stopped = await grain.Read();
        Assert.Equal(0, stopped.Overlaps);

        await Task.Delay(200);
        Assert.Equal(stopped.Ticks, (await grain.Read()).Ticks);
    }
}
