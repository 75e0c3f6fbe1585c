using System.Diagnostics.Metrics;
using Payments.Grains.Ledger;

namespace Payments.Benchmarks.Reporting;

/// <summary>Listens to the ledger's batch metrics so a run can report how big batches were and how long they took.</summary>
internal sealed class LedgerBatchProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _entries;
    private double _milliseconds;

    public LedgerBatchProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LedgerMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _entries, value);
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (_listener)
            {
                _milliseconds += value;
            }
        });
        _listener.Start();
    }

    /// <summary>Average batch size and duration since the last call.</summary>
    public (double Size, double Milliseconds) TakeAverages()
    {
        lock (_listener)
        {
            var batches = Interlocked.Exchange(ref _batches, 0);
            var entries = Interlocked.Exchange(ref _entries, 0);
            var milliseconds = _milliseconds;
            _milliseconds = 0;
            return batches == 0 ? (0, 0) : (Math.Round((double)entries / batches, 1), Math.Round(milliseconds / batches, 2));
        }
    }

    public void Dispose() => _listener.Dispose();
}
