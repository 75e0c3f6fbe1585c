using System.Text.RegularExpressions;

namespace Payments.Grains.Interfaces.Identity;

/// <summary>
/// A username: 3–32 characters of [a-z0-9_]. Unique across users. The pattern is anchored with <c>\A</c> and <c>\z</c>:
/// <c>$</c> would also match before a final newline, and "eve\n" would pass here and fail the database's CHECK.
/// </summary>
public readonly partial record struct Username
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    private Username(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out Username username)
    {
        var ok = text is { Length: >= MinLength and <= MaxLength } && Pattern().IsMatch(text);
        username = ok ? new Username(text!) : default;
        return ok;
    }

    public override string ToString() => Value;

    [GeneratedRegex(@"\A[a-z0-9_]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
