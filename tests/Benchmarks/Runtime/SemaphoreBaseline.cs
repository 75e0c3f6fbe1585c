using System.Collections.Concurrent;

namespace Payments.Benchmarks.Runtime;

/// <summary>
/// The baseline a grain call is compared with: the same per-object counter guarded by a SemaphoreSlim per object
/// in a concurrent dictionary, as code without an actor runtime would serialize access to shared objects.
/// </summary>
internal sealed class SemaphoreBaseline
{
    private readonly ConcurrentDictionary<string, Entry> _objects = new();

    public async Task<int> Ping(string key, int value)
    {
        var entry = _objects.GetOrAdd(key, static _ => new Entry());
        await entry.Gate.WaitAsync();
        try
        {
            entry.Calls++;
            return value + entry.Calls;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Calls { get; set; }
    }
}
