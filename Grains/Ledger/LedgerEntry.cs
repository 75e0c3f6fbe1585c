using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Payouts;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Ledger;

/// <summary>
/// A ledger transaction on its way to the database with everything that must commit with it: its movements (rows of
/// <c>ledger_entries</c>), the idempotency record (its response rendered from the balances after the entry), the
/// outbox events, its hold changes, the record of the grain state it changes (a payment) and, for a withdrawal, the
/// payout it owes the user's bank. Construction asserts the ledger's invariants on the entry itself: up to 16 legs
/// (none only when the entry changes holds), positive amounts, never an account paying itself.
/// </summary>
public sealed class LedgerEntry
{
    public const int MaxMovements = 16;

    /// <summary>The <c>reference</c> column's limit.</summary>
    public const int MaxReferenceLength = 64;

    public LedgerEntry(
        TransactionId id,
        string type,
        DateTimeOffset createdAt,
        IReadOnlyList<LedgerMovement> movements,
        TransferRemark? remark,
        IdempotencyStamp? idempotency,
        Func<LedgerBalances, StoredResponse>? renderResponse,
        IReadOnlyList<OutboxMessage> events,
        PayoutRequest? payout = null,
        IReadOnlyList<LedgerHoldChange>? holds = null,
        ILedgerRecord? record = null,
        string? reference = null)
    {
        holds ??= [];
        if (reference is { Length: 0 or > MaxReferenceLength })
        {
            throw new LedgerInvariantException($"Transaction {id} has a reference of {reference.Length} characters; 1 to {MaxReferenceLength}.");
        }

        if (movements.Count > MaxMovements || (movements.Count == 0 && holds.Count == 0))
        {
            throw new LedgerInvariantException($"Transaction {id} has {movements.Count} movements and {holds.Count} hold changes; a ledger transaction has 1 to {MaxMovements} movements, or none when it changes holds.");
        }

        if (holds.Count > MaxMovements)
        {
            throw new LedgerInvariantException($"Transaction {id} changes {holds.Count} holds; at most {MaxMovements}.");
        }

        foreach (var movement in movements)
        {
            if (movement.Amount <= 0)
            {
                throw new LedgerInvariantException($"Transaction {id} moves {movement.Amount}; amounts are positive.");
            }

            if (string.Equals(movement.DebitAccountId, movement.CreditAccountId, StringComparison.Ordinal))
            {
                throw new LedgerInvariantException($"Transaction {id} moves money from {movement.DebitAccountId} to itself.");
            }
        }

        if ((idempotency is null) != (renderResponse is null))
        {
            throw new LedgerInvariantException($"Transaction {id}: an idempotency record needs a response and a response needs a record.");
        }

        Id = id;
        Type = type;
        CreatedAt = createdAt;
        Movements = movements;
        Remark = remark;
        Idempotency = idempotency;
        RenderResponse = renderResponse;
        Events = events;
        Payout = payout;
        Holds = holds;
        Record = record;
        Reference = reference;
    }

    public TransactionId Id { get; }

    /// <summary>A <see cref="LedgerEntryTypes"/> value.</summary>
    public string Type { get; }

    public DateTimeOffset CreatedAt { get; }

    public IReadOnlyList<LedgerMovement> Movements { get; }

    public TransferRemark? Remark { get; }

    public IdempotencyStamp? Idempotency { get; }

    public Func<LedgerBalances, StoredResponse>? RenderResponse { get; }

    public IReadOnlyList<OutboxMessage> Events { get; }

    /// <summary>
    /// A withdrawal's debt to the user's bank: its <c>payouts</c> row commits with the entry, so money that left the
    /// wallet is listed as owed even if the event that starts the payout were never delivered.
    /// </summary>
    public PayoutRequest? Payout { get; }

    /// <summary>Holds this entry places, posts, releases or refunds, applied in order.</summary>
    public IReadOnlyList<LedgerHoldChange> Holds { get; }

    /// <summary>What the entry means outside the ledger (a payment's row and event), written with it if it is accepted.</summary>
    public ILedgerRecord? Record { get; }

    /// <summary>What the entry belongs to beyond its accounts (a merchant payment's id), shown on history lines.</summary>
    public string? Reference { get; }

    /// <summary>
    /// The user whose wallet grain submitted the entry and takes its row after the batch from the answer, so the writer
    /// sends that wallet no hint about a batch in which this entry committed.
    /// </summary>
    public string? AnsweredWallet { get; init; }

    internal TaskCompletionSource<LedgerResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The balance of each account of an entry right after it (what its answer shows), and each account's row after the
/// whole batch: the balance and version a cache must take, since later entries of the batch may have moved it again.
/// </summary>
public sealed class LedgerBalances(IReadOnlyDictionary<string, long> balanceAfter, IReadOnlyDictionary<string, (long Balance, long Held, long Version)> rowAfterBatch)
{
    public long BalanceAfter(string accountId) => balanceAfter[accountId];

    public (long Balance, long Held, long Version) RowAfterBatch(string accountId) => rowAfterBatch[accountId];
}

/// <summary>A broken ledger invariant: the operation stops rather than guess.</summary>
public sealed class LedgerInvariantException(string message) : Exception(message);
