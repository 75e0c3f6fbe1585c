namespace Payments.Grains.Ledger;

/// <summary>
/// What a committed batch owes: an answer per entry, and the wallets whose balance changed (for their caches).
/// Handed out only once the batch is durable.
/// </summary>
public sealed record LedgerBatchOutcome(IReadOnlyList<(LedgerEntry Entry, LedgerResult Result)> Answers, IReadOnlyList<TouchedWallet> Touched)
{
    public static readonly LedgerBatchOutcome Empty = new([], []);

    public static LedgerBatchOutcome Answer(LedgerEntry entry, LedgerResult result) => new([(entry, result)], []);

    /// <summary>The outcomes of entries committed one by one (a batch isolating a refusal), as one.</summary>
    public static LedgerBatchOutcome Combine(IReadOnlyList<LedgerBatchOutcome> outcomes) =>
        new([.. outcomes.SelectMany(outcome => outcome.Answers)], [.. outcomes.SelectMany(outcome => outcome.Touched)]);
}

/// <summary>A wallet whose row a batch changed, with its balance, held amount and version after the batch.</summary>
public sealed record TouchedWallet(string UserId, long Balance, long Held, long Version);
