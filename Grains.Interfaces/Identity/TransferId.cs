namespace Payments.Grains.Interfaces.Identity;

/// <summary>A ledger transaction's identity (a transfer's id is its ledger transaction's id).</summary>
[GenerateSerializer, Immutable]
public readonly record struct TransactionId(Guid Value)
{
    public static TransactionId New() => new(Guid.CreateVersion7());

    public static bool TryParse(string? text, out TransactionId id)
    {
        var ok = StandardUuid.TryParse(text, out var value);
        id = new TransactionId(value);
        return ok;
    }

    public override string ToString() => Value.ToString("D");
}
