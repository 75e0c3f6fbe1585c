namespace Orleans.Payments.Runtime.Persistence;

/// <summary>A stored state record: its serialized payload and its version.</summary>
public readonly record struct StoredState(ReadOnlyMemory<byte> Payload, string Etag);

/// <summary>
/// Durable storage of grain state with optimistic concurrency. Implementations must reject a write or clear
/// whose ETag does not match the stored record (null meaning "no record") with <see cref="InconsistentStateException"/>.
/// </summary>
public interface IGrainStorage
{
    Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes the payload and returns the new ETag.</summary>
    Task<string> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? etag, CancellationToken cancellationToken);

    Task ClearAsync(GrainId grainId, string stateName, string? etag, CancellationToken cancellationToken);
}
