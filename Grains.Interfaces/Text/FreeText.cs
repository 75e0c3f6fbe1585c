using Payments.Grains.Interfaces.Cards;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.Interfaces.Text;

/// <summary>Text people type (notes, comments, search terms, ids given back to us) that PostgreSQL stores or compares.</summary>
public static class FreeText
{
    private const int MinCardDigits = 13;
    private const int MaxCardDigits = 19;

    /// <summary>The longest word <see cref="IsIssuedId"/> can accept: a prefixed id, or a UUID's 36 characters.</summary>
    private static readonly int s_longestIssuedId = Math.Max(36, PrefixedId.LongestId);

    /// <summary>
    /// PostgreSQL's text type cannot hold U+0000: a statement given one fails, so such text is refused as input instead
    /// of failing a database call (and, in a ledger batch, every payment committed with it).
    /// </summary>
    public static bool IsStorable(string text) => !text.Contains('\0', StringComparison.Ordinal);

    /// <summary>What a refusal of <see cref="IsStorable"/> says, for the field named.</summary>
    public static string NotStorableMessage(string field) => $"{field} must not contain the character U+0000.";

    /// <summary>
    /// How many characters (Unicode scalar values) <paramref name="text"/> holds: what "at most N characters" means to a
    /// person and to PostgreSQL's <c>length()</c> in the tables' checks. <see cref="string.Length"/> counts UTF-16 code
    /// units, so an emoji counted twice and 141 of them were "over 280 characters".
    /// </summary>
    public static int CharacterCount(string text)
    {
        var count = text.Length;
        foreach (var unit in text)
        {
            if (char.IsLowSurrogate(unit))
            {
                count--; // The second half of a pair.
            }
        }

        return count;
    }

    /// <summary>
    /// Whether <paramref name="text"/> holds what looks like a card number: 13 to 19 digits, single spaces or hyphens
    /// allowed between them, starting with 2 to 6 (the card networks' ranges), passing the Luhn check. Text the platform
    /// stores and shows back (descriptions, references, metadata, notes) must not carry one, or the number would be kept
    /// and returned where it must never be. A run of digits that is not a card number one time in ten passes Luhn by
    /// chance; such a value is refused too, which the message explains. A run inside an id the platform issues is not
    /// a card number: the hex digits of a UUID or a prefixed id hold such a run about once in five hundred ids, and an
    /// id given back to us (a recipient, an order mentioned in a description) names a resource.
    /// </summary>
    public static bool ContainsCardNumber(ReadOnlySpan<char> text)
    {
        Span<char> digits = stackalloc char[MaxCardDigits + 1];
        var count = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var character = i < text.Length ? text[i] : '\0';
            if (char.IsAsciiDigit(character))
            {
                if (count <= MaxCardDigits)
                {
                    digits[count] = character;
                }

                count++;
                continue;
            }

            // A single separator between two digits keeps the run going ("4242 4242 4242 4242").
            var separates = character is ' ' or '-' && count > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
            if (!separates)
            {
                if (count is >= MinCardDigits and <= MaxCardDigits && digits[0] is >= '2' and <= '6' && CardNumber.PassesLuhn(digits[..count])
                    && !IsIssuedId(WordAround(text, i)))
                {
                    return true;
                }

                count = 0;
            }
        }

        return false;
    }

    /// <summary>The word (letters, digits, '_' and '-') that ends at or runs on past <paramref name="end"/>, where a run of digits ended.</summary>
    private static ReadOnlySpan<char> WordAround(ReadOnlySpan<char> text, int end)
    {
        var start = end;
        while (start > 0 && IsWordCharacter(text[start - 1]))
        {
            start--;
        }

        while (end < text.Length && IsWordCharacter(text[end]))
        {
            end++;
        }

        return text[start..end];
    }

    private static bool IsWordCharacter(char character) => char.IsAsciiLetterOrDigit(character) || character is '_' or '-';

    private static bool IsIssuedId(ReadOnlySpan<char> word)
    {
        if (word.Length > s_longestIssuedId)
        {
            return false;
        }

        var text = word.ToString();
        return StandardUuid.TryParse(text, out _) || PrefixedId.IsAnyId(text);
    }

    /// <summary>What a refusal of <see cref="ContainsCardNumber"/> says, for the field named.</summary>
    public static string CardNumberMessage(string field) =>
        $"{field} must not contain a card number (13 to 19 digits passing the Luhn check): card numbers go only in a payment method's or a card's number, which are never stored.";
}
