namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// Carries exceptions across the wire. Runtime exceptions that callers act on (retry, reload) come back as their
/// own type; anything else as <see cref="RemoteGrainException"/> with the original type's name.
/// </summary>
internal static class RemoteErrors
{
    public static RemoteError From(Exception error) => new(error.GetType().FullName ?? error.GetType().Name, error.Message);

    public static Exception ToException(RemoteError error) => error.Type switch
    {
        _ when error.Type == typeof(GrainCallTimeoutException).FullName => new GrainCallTimeoutException(error.Message),
        _ when error.Type == typeof(SiloUnavailableException).FullName => new SiloUnavailableException(error.Message),
        _ when error.Type == typeof(GrainCallOutcomeUnknownException).FullName => new GrainCallOutcomeUnknownException(error.Message),
        _ when error.Type == typeof(GrainOverloadedException).FullName => new GrainOverloadedException(error.Message),
        _ when error.Type == typeof(InconsistentStateException).FullName => new InconsistentStateException(error.Message, null, null),
        _ when error.Type == typeof(ArgumentException).FullName => new ArgumentException(error.Message),
        _ when error.Type == typeof(InvalidOperationException).FullName => new InvalidOperationException(error.Message),
        _ => new RemoteGrainException(error.Type, error.Message),
    };
}

/// <summary>A grain on another silo threw an exception of a type that does not travel; its type name and message do.</summary>
public sealed class RemoteGrainException(string remoteType, string message) : Exception($"{remoteType}: {message}")
{
    public string RemoteType { get; } = remoteType;
}
