using System.Collections.Frozen;

namespace Payments.Grains.Interfaces.Money;

/// <summary>An ISO 4217 currency with its minor-unit exponent. Only currencies listed here are accepted anywhere.</summary>
public sealed record Currency
{
    private static readonly FrozenDictionary<string, Currency> s_known = new Currency[]
    {
        new("USD", 2), new("EUR", 2), new("GBP", 2), new("CHF", 2), new("CAD", 2), new("AUD", 2),
        new("JPY", 0), new("CNY", 2), new("SEK", 2), new("NOK", 2), new("DKK", 2), new("PLN", 2),
        new("MXN", 2), new("BRL", 2), new("INR", 2), new("SGD", 2), new("HKD", 2), new("NZD", 2),
        new("KRW", 0), new("ZAR", 2), new("BHD", 3), new("KWD", 3),
    }.ToFrozenDictionary(currency => currency.Code, StringComparer.Ordinal);

    public static readonly Currency Usd = s_known["USD"];

    private Currency(string code, int minorUnits)
    {
        Code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>Three upper-case letters, e.g. USD.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal point in the minor unit (2 for cents).</summary>
    public int MinorUnits { get; }

    public static bool TryParse(string? code, out Currency currency)
    {
        currency = null!;
        return code is not null && s_known.TryGetValue(code, out currency!);
    }

    public override string ToString() => Code;
}
