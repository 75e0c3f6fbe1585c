namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// The identity of a stream: a namespace (what kind of events, e.g. "orders") and a key (whose events).
/// Events of one stream are delivered in the order they were committed.
/// </summary>
public readonly record struct StreamId
{
    public StreamId(string @namespace, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(key);
        Namespace = @namespace;
        Key = key;
    }

    public string Namespace { get; init; }

    public string Key { get; init; }

    public override string ToString() => $"{Namespace}/{Key}";
}
