namespace Payments.Grains.Interfaces.Money;

/// <summary>An amount in integer minor units (cents) of one currency. Never float, never decimal on the hot path.</summary>
[GenerateSerializer, Immutable]
public readonly record struct Money(long Minor, string Currency)
{
    public static Money Usd(long minor) => new(minor, Interfaces.Money.Currency.Usd.Code);

    public Money Negate() => this with { Minor = checked(-Minor) };

    public override string ToString() => $"{Minor} {Currency}";
}
