using System.Net;

namespace Payments.Grains.Interfaces.Fraud;

/// <summary>
/// A payment's fraud assessment, made before authorization: a score from 0 to 100, the outcome the merchant's
/// thresholds give it (<c>allow</c>, <c>review</c>: authorized but flagged, <c>block</c>: not authorized) and the
/// rules that added to it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FraudView(int Score, string Outcome, IReadOnlyList<string> Reasons);

/// <summary>
/// A merchant's fraud settings: scores at or above <c>BlockThreshold</c> are blocked, at or above
/// <c>ReviewThreshold</c> flagged for review. List entries are <c>card:&lt;fingerprint&gt;</c>, <c>ip:&lt;address&gt;</c>,
/// <c>customer:&lt;reference&gt;</c>, <c>user:&lt;user id&gt;</c> or <c>country:&lt;XX&gt;</c>: an allow-listed payment
/// scores 0, a block-listed one 100 (the block list wins).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FraudSettings(int ReviewThreshold, int BlockThreshold, IReadOnlyList<string> AllowList, IReadOnlyList<string> BlockList)
{
    public const int MaxListEntries = 100;
    public const int MaxEntryLength = 100;

    public static FraudSettings Default { get; } = new(50, 75, [], []);

    public static readonly IReadOnlyList<string> EntryKinds = ["card", "ip", "customer", "user", "country"];

    /// <summary>Why the settings cannot be used (thresholds in order, entries of a known kind), or null.</summary>
    public (string Field, string Message)? Problem()
    {
        if (ReviewThreshold is < 1 or > 100 || BlockThreshold is < 1 or > 101 || ReviewThreshold > BlockThreshold)
        {
            return ("reviewThreshold", "reviewThreshold and blockThreshold are 1 to 100 (101 blocks nothing), review not above block.");
        }

        foreach (var (field, list) in new[] { ("allowList", AllowList), ("blockList", BlockList) })
        {
            if (list.Count > MaxListEntries)
            {
                return (field, $"{field} has at most {MaxListEntries} entries.");
            }

            if (list.Any(entry => !IsEntry(entry)))
            {
                var bad = list.First(entry => !IsEntry(entry));
                return (field, $"{field} entry '{(bad is null ? "null" : bad.Length > 40 ? bad[..40] + "…" : bad)}' is not kind:value with kind one of {string.Join(", ", EntryKinds)}, and a value as payments carry it: card:<64 lower-case hex>, ip:<canonical IPv4 or IPv6 address>, user:<user id, lower case>, country:<2 capitals>, customer:<your reference>.");
            }
        }

        return null;
    }

    private static bool IsEntry(string? entry)
    {
        if (entry is null)
        {
            return false;
        }

        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return entry.Length <= MaxEntryLength && colon > 0 && colon < entry.Length - 1
            && entry.All(character => character is > ' ' and < (char)127)
            && IsValue(entry[..colon], entry[(colon + 1)..]);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is written as payments' own keys are (a fingerprint in lower-case hex, an address
    /// in its canonical form, a user id in lower-case "D" form, a country in capitals): an entry in any other form could
    /// never match, and the merchant would believe a payer blocked who is not.
    /// </summary>
    private static bool IsValue(string kind, string value) => kind switch
    {
        "card" => value.Length == 64 && value.All(char.IsAsciiHexDigitLower),
        "ip" => IPAddress.TryParse(value, out var address) && address.ToString() == value,
        "user" => Guid.TryParseExact(value, "D", out var user) && user.ToString("D") == value,
        "country" => value.Length == 2 && value.All(char.IsAsciiLetterUpper),
        "customer" => true,
        _ => false,
    };
}

/// <summary>Fraud outcomes and the reasons rules give.</summary>
public static class FraudOutcomes
{
    public const string Allow = "allow";
    public const string Review = "review";
    public const string Block = "block";
}
