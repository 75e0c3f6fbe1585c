namespace Orleans.Payments.Runtime;

/// <summary>
/// The identity of a grain: its type name (from the grain interface) and its string key.
/// Two references with equal ids address the same virtual grain.
/// </summary>
public readonly record struct GrainId
{
    public const int MaxKeyLength = 512;

    public GrainId(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A grain key is at most {MaxKeyLength} characters; got {key.Length}.", nameof(key));
        }

        Type = type;
        Key = key;
    }

    public string Type { get; }

    public string Key { get; }

    public override string ToString() => $"{Type}/{Key}";
}
