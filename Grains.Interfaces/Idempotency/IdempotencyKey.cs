namespace Payments.Grains.Interfaces.Idempotency;

/// <summary>The client's Idempotency-Key header: 1–255 printable ASCII characters.</summary>
public readonly record struct IdempotencyKey
{
    public const int MaxLength = 255;

    private IdempotencyKey(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out IdempotencyKey key)
    {
        var ok = text is { Length: >= 1 and <= MaxLength } && text.All(c => c is >= '!' and <= '~');
        key = ok ? new IdempotencyKey(text!) : default;
        return ok;
    }

    public override string ToString() => Value;
}
