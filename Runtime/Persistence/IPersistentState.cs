namespace Orleans.Payments.Runtime;

/// <summary>
/// A grain's durable state. It is read before <see cref="Grain.OnActivateAsync"/>; writes carry the ETag of the
/// last read or write, and a write whose ETag is stale fails with <see cref="InconsistentStateException"/>.
/// </summary>
public interface IPersistentState<TState>
    where TState : class, new()
{
    TState State { get; set; }

    /// <summary>The version of the stored record this activation last saw; null when no record exists.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    /// <summary>Replaces <see cref="State"/> with the stored record (or a new state if there is none).</summary>
    Task ReadStateAsync();

    /// <summary>Stores <see cref="State"/> if the stored record still has this activation's ETag.</summary>
    Task WriteStateAsync();

    /// <summary>Deletes the stored record if it still has this activation's ETag, and resets <see cref="State"/>.</summary>
    Task ClearStateAsync();
}
