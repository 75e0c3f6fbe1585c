using Orleans.Payments.Grains.Interfaces.Idempotency;
using Orleans.Payments.Grains.Interfaces.Identity;

namespace Orleans.Payments.Grains.Ledger;

/// <summary>
/// A ledger transaction on its way to the database with everything that must commit with it: the transfer row,
/// the idempotency record (its response rendered from the balances after the entry) and the outbox events.
/// Construction asserts the double-entry invariant: postings sum to zero per currency.
/// </summary>
public sealed class LedgerEntry
{
    public const int MaxPostings = 16;

    public LedgerEntry(
        TransactionId id,
        string type,
        DateTimeOffset createdAt,
        IReadOnlyList<LedgerPosting> postings,
        TransferRow? transfer,
        IdempotencyStamp? idempotency,
        Func<LedgerBalances, StoredResponse>? renderResponse,
        IReadOnlyList<OutboxEvent> events)
    {
        if (postings.Count is < 2 or > MaxPostings)
        {
            throw new LedgerInvariantException($"Transaction {id} has {postings.Count} postings; a ledger transaction has 2 to {MaxPostings}.");
        }

        if (postings.Any(posting => posting.Amount == 0))
        {
            throw new LedgerInvariantException($"Transaction {id} has a zero posting.");
        }

        if (postings.Select(posting => posting.AccountId).Distinct(StringComparer.Ordinal).Count() != postings.Count)
        {
            throw new LedgerInvariantException($"Transaction {id} posts twice to one account.");
        }

        foreach (var currency in postings.GroupBy(posting => posting.Currency, StringComparer.Ordinal))
        {
            long sum = 0;
            foreach (var posting in currency)
            {
                sum = checked(sum + posting.Amount);
            }

            if (sum != 0)
            {
                throw new LedgerInvariantException($"Transaction {id} is unbalanced in {currency.Key}: postings sum to {sum}.");
            }
        }

        if ((idempotency is null) != (renderResponse is null))
        {
            throw new LedgerInvariantException($"Transaction {id}: an idempotency record needs a response and a response needs a record.");
        }

        Id = id;
        Type = type;
        CreatedAt = createdAt;
        Postings = postings;
        Transfer = transfer;
        Idempotency = idempotency;
        RenderResponse = renderResponse;
        Events = events;
    }

    public TransactionId Id { get; }

    /// <summary>deposit, withdrawal or transfer.</summary>
    public string Type { get; }

    public DateTimeOffset CreatedAt { get; }

    public IReadOnlyList<LedgerPosting> Postings { get; }

    public TransferRow? Transfer { get; }

    public IdempotencyStamp? Idempotency { get; }

    public Func<LedgerBalances, StoredResponse>? RenderResponse { get; }

    public IReadOnlyList<OutboxEvent> Events { get; }

    internal TaskCompletionSource<LedgerResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A row of the transfers table, committed with its ledger transaction.</summary>
public sealed record TransferRow(Guid FromUser, Guid ToUser, long Amount, string Currency, string Note, string Visibility, string Status);

/// <summary>An event appended to a stream in the same transaction as the change it reports.</summary>
public sealed record OutboxEvent(Guid EventId, string StreamNamespace, string StreamKey, string Type, string PayloadJson);

/// <summary>The balance of each account of an entry right after it, and the account versions after the batch.</summary>
public sealed class LedgerBalances(IReadOnlyDictionary<string, long> balanceAfter, IReadOnlyDictionary<string, long> versionAfter)
{
    public long BalanceAfter(string accountId) => balanceAfter[accountId];

    public long VersionAfter(string accountId) => versionAfter[accountId];
}

/// <summary>A broken ledger invariant: the operation stops rather than guess.</summary>
public sealed class LedgerInvariantException(string message) : Exception(message);
