using System.Diagnostics.Metrics;
using Orleans.Payments.Runtime.Diagnostics;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_activations_and_storage_are_measured()
    {
        var measurements = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == RuntimeMetrics.MeterName)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        // Only increments count: tests running in parallel also deactivate grains (-1 on grain.activations).
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, Math.Max(0, value)));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => Add(instrument.Name, 1));
        listener.Start();

        await using var silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("metrics"));
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>($"metered-{Guid.NewGuid():N}");
        await grain.Set(1);
        await grain.Get();

        // Other tests run in parallel and record too; this test's own calls make every figure at least this much.
        Assert.True(Read("grain.calls") >= 2);
        Assert.True(Read("grain.call.duration") >= 2);
        Assert.True(Read("grain.activations") >= 1);
        Assert.True(Read("grain.storage.duration") >= 2, "one read at activation, one write");

        void Add(string name, double value)
        {
            lock (measurements)
            {
                measurements[name] = measurements.GetValueOrDefault(name) + value;
            }
        }

        double Read(string name)
        {
            lock (measurements)
            {
                return measurements.GetValueOrDefault(name);
            }
        }
    }
}
