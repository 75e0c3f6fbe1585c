namespace Orleans.Payments.Runtime;

/// <summary>
/// A state write or clear carried an ETag that no longer matches storage: another activation (or an operator)
/// changed the record. The caller should reload with <see cref="IPersistentState{TState}.ReadStateAsync"/>.
/// </summary>
public sealed class InconsistentStateException(string message, string? storedEtag, string? currentEtag) : Exception(message)
{
    /// <summary>The ETag in storage when the write failed; null if the record does not exist.</summary>
    public string? StoredEtag { get; } = storedEtag;

    /// <summary>The ETag the failed write carried.</summary>
    public string? CurrentEtag { get; } = currentEtag;
}
