using System.Collections.Concurrent;
using System.Globalization;

namespace Orleans.Payments.Runtime.Persistence;

/// <summary>
/// Volatile grain storage with the same ETag rules as the PostgreSQL one. For benchmarks of the runtime itself
/// and grains whose state may be lost; never for money.
/// </summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(GrainId, string), StoredState> _records = new();
    private long _nextVersion;

    public Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken) =>
        Task.FromResult(_records.TryGetValue((grainId, stateName), out var record) ? record : (StoredState?)null);

    public Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? etag, CancellationToken cancellationToken)
    {
        var key = (grainId, stateName);
        var written = new StoredState(payload.ToArray(), Interlocked.Increment(ref _nextVersion).ToString(CultureInfo.InvariantCulture));
        var stored = etag is null
            ? _records.TryAdd(key, written)
            : _records.TryGetValue(key, out var current) && current.Etag == etag && _records.TryUpdate(key, written, current);
        if (!stored)
        {
            throw Conflict(key, etag);
        }

        return Task.FromResult(written.Etag);
    }

    public Task ClearAsync(GrainId grainId, string stateName, string? etag, CancellationToken cancellationToken)
    {
        var key = (grainId, stateName);
        var cleared = _records.TryGetValue(key, out var current)
            ? current.Etag == etag && _records.TryRemove(new KeyValuePair<(GrainId, string), StoredState>(key, current))
            : etag is null;
        return cleared ? Task.CompletedTask : throw Conflict(key, etag);
    }

    private InconsistentStateException Conflict((GrainId GrainId, string StateName) key, string? etag) =>
        new($"State '{key.StateName}' of {key.GrainId}: ETag {etag ?? "none"} does not match storage.",
            _records.TryGetValue(key, out var current) ? current.Etag : null, etag);
}
