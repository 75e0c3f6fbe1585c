namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// One reader of the log with its own checkpoints: an implicit subscription (every stream of a namespace goes to the
/// grain type's grain with the stream's key), or the explicit subscriptions (each to the grains subscribed to the stream).
/// </summary>
internal sealed record StreamConsumer(string Name, string? Namespace, string? GrainType)
{
    public static StreamConsumer Explicit { get; } = new("explicit", null, null);

    public static StreamConsumer Implicit(string grainType, string streamNamespace) => new($"implicit:{grainType}:{streamNamespace}", streamNamespace, grainType);

    public bool IsExplicit => GrainType is null;
}
