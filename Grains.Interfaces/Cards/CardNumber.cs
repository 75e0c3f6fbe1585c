namespace Payments.Grains.Interfaces.Cards;

/// <summary>
/// A primary account number's checks: 12–19 digits, the Luhn check digit, and the network from the BIN. The number
/// itself is never stored, logged or returned; only its brand and last four digits leave this class.
/// </summary>
public static class CardNumber
{
    public const string Visa = "visa";
    public const string Mastercard = "mastercard";
    public const string Amex = "amex";
    public const string Discover = "discover";

    /// <summary>Every supported network.</summary>
    public static readonly IReadOnlyList<string> Networks = [Visa, Mastercard, Amex, Discover];

    public static bool IsValid(string? number) =>
        number is { Length: >= 12 and <= 19 } && number.All(char.IsAsciiDigit) && PassesLuhn(number);

    /// <summary>The network from the BIN: Visa 4; Mastercard 51–55 and 2221–2720; Amex 34, 37; Discover 6011, 644–649, 65. Null when none.</summary>
    public static string? BrandOf(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length < 6)
        {
            return null;
        }

        var two = int.Parse(number.AsSpan(0, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        var three = int.Parse(number.AsSpan(0, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(number.AsSpan(0, 4), provider: System.Globalization.CultureInfo.InvariantCulture);
        return number[0] switch
        {
            '4' => Visa,
            _ when two is >= 51 and <= 55 || four is >= 2221 and <= 2720 => Mastercard,
            _ when two is 34 or 37 => Amex,
            _ when four == 6011 || three is >= 644 and <= 649 || two == 65 => Discover,
            _ => null,
        };
    }

    public static string Last4(string number) => number[^4..];

    /// <summary>Whether ASCII digits end with their Luhn check digit (also used to find card numbers in free text).</summary>
    internal static bool PassesLuhn(ReadOnlySpan<char> number)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            var digit = number[i] - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
