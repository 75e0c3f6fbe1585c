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
                return (field, $"{field} entry '{(bad is null ? "null" : bad.Length > 40 ? bad[..40] + "…" : bad)}' is not kind:value with kind one of {string.Join(", ", EntryKinds)}.");
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
        return entry.Length <= MaxEntryLength && colon > 0 && colon < entry.Length - 1 && EntryKinds.Contains(entry[..colon])
            && entry.All(character => character is > ' ' and < (char)127);
    }
}

/// <summary>Fraud outcomes and the reasons rules give.</summary>
public static class FraudOutcomes
{
    public const string Allow = "allow";
    public const string Review = "review";
    public const string Block = "block";
}
