using System.Diagnostics;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Idle activations are collected and come back with their state on the next call.</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(
        await TestPostgres.CreateDatabaseAsync("lifecycle"),
        options =>
        {
            options.CollectionAge = TimeSpan.FromMilliseconds(300);
            options.CollectionQuantum = TimeSpan.FromMilliseconds(100);
            options.CallTimeoutCheckInterval = TimeSpan.FromMilliseconds(100);
        });

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task An_idle_activation_is_collected_and_reactivates_with_its_state()
    {
        var grain = _silo.GrainFactory.GetGrain<IStatefulGrain>("collectable");
        var firstActivation = await grain.Set(41);
        var deactivationsBefore = Volatile.Read(ref StatefulGrain.Deactivations);

        await Eventually.TrueAsync(
            () => Task.FromResult(Volatile.Read(ref StatefulGrain.Deactivations) > deactivationsBefore && _silo.Catalog.Count == 0),
            TimeSpan.FromSeconds(10), "the idle activation is collected");

        Assert.Equal(41, await grain.Get());
        Assert.NotEqual(firstActivation, await grain.ActivationId());
    }

    [Fact]
    public async Task A_busy_activation_is_not_collected()
    {
        var grain = _silo.GrainFactory.GetGrain<IStatefulGrain>("busy");
        var activation = await grain.Set(1);

        // A call running three collection ages: an activation with work is never idle.
        Assert.Equal(activation, await grain.HoldFor(900));
        Assert.Equal(activation, await grain.ActivationId());

        // Calls back to back for three collection ages: each one restarts the idle clock. (Spacing the calls with
        // delays made this depend on the delays' accuracy on a loaded machine.)
        var busyUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 9 / 10;
        while (Stopwatch.GetTimestamp() < busyUntil)
        {
            Assert.Equal(activation, await grain.ActivationId());
        }
    }

    [Fact]
    public async Task A_class_collection_age_overrides_the_silo_default()
    {
        await using var silo = await TestSilo.StartAsync(
            await TestPostgres.CreateDatabaseAsync("classage"),
            options =>
            {
                options.CollectionAge = TimeSpan.FromHours(1);
                options.CollectionQuantum = TimeSpan.FromMilliseconds(100);
                options.CallTimeoutCheckInterval = TimeSpan.FromMilliseconds(100);
            });
        var shortLived = silo.GrainFactory.GetGrain<IShortLivedGrain>("brief");
        var longLived = silo.GrainFactory.GetGrain<IStatefulGrain>("lasting");
        var first = await shortLived.ActivationId();
        var lasting = await longLived.ActivationId();

        await Eventually.TrueAsync(() => Task.FromResult(silo.Catalog.Count == 1), TimeSpan.FromSeconds(10), "the short-lived activation is collected");
        Assert.NotEqual(first, await shortLived.ActivationId());
        Assert.Equal(lasting, await longLived.ActivationId());
    }
}
