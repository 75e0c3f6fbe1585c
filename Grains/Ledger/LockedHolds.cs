using Npgsql;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Ledger;

/// <summary>
/// The holds a batch changes, as locked rows (or new ones), with their state as the batch's entries apply. Checking an
/// entry's changes leaves them untouched; applying them moves the rows and the held amounts of their debit accounts.
/// </summary>
internal sealed class LockedHolds
{
    private readonly Dictionary<Guid, HoldRow> _rows = [];
    private readonly HashSet<Guid> _changed = [];
    private readonly HashSet<Guid> _placed = [];

    public static Guid[] IdsOf(IReadOnlyList<LedgerEntry> batch) =>
        [.. batch.SelectMany(entry => entry.Holds).Select(change => change.HoldId).Distinct().Order()];

    /// <summary>Locks the rows of <paramref name="ids"/> (sorted, after the accounts, as every batch does: no deadlocks).</summary>
    public static NpgsqlBatchCommand LockCommand(Guid[] ids)
    {
        var command = new NpgsqlBatchCommand(
            """
            SELECT id, debit_account_id, credit_account_id, amount, status, posted_amount, refunded_amount
            FROM ledger_holds WHERE id = ANY($1) ORDER BY id FOR UPDATE
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        return command;
    }

    public async Task ReadAsync(NpgsqlDataReader reader)
    {
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var row = new HoldRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6), null, default);
            _rows[row.Id] = row;
        }
    }

    /// <summary>The accounts whose rows the changes need locked besides the movements' (a released hold's debit account).</summary>
    public static IEnumerable<string> AccountsOf(LedgerEntry entry) =>
        entry.Holds.SelectMany(change => change switch
        {
            LedgerHoldChange.Place place => new[] { place.DebitAccountId, place.CreditAccountId },
            LedgerHoldChange.Release release => [release.DebitAccountId],
            _ => [],
        });

    /// <summary>
    /// Says why the entry's hold changes cannot apply, or null if they can; <paramref name="heldDelta"/> gets the change
    /// of each debit account's held amount. Nothing changes here.
    /// </summary>
    public PaymentError? Check(LedgerEntry entry, Dictionary<string, long> heldDelta) => Evaluate(entry, heldDelta, out _);

    /// <summary>Applies a checked entry's changes to the rows and returns each debit account's change of held amount.</summary>
    public Dictionary<string, long> Apply(LedgerEntry entry, DateTimeOffset now)
    {
        var heldDelta = new Dictionary<string, long>(StringComparer.Ordinal);
        if (Evaluate(entry, heldDelta, out var after) is { } error)
        {
            throw new LedgerInvariantException($"Transaction {entry.Id}: its holds changed between their check and their application ({error.Code}).");
        }

        foreach (var change in entry.Holds)
        {
            (change is LedgerHoldChange.Place ? _placed : _changed).Add(change.HoldId);
        }

        foreach (var (id, row) in after)
        {
            _rows[id] = row with { ResolvedAt = row.Status == HoldStatus.Pending ? null : now };
        }

        return heldDelta;
    }

    private PaymentError? Evaluate(LedgerEntry entry, Dictionary<string, long> heldDelta, out Dictionary<Guid, HoldRow> after)
    {
        after = [];
        foreach (var change in entry.Holds)
        {
            var current = after.TryGetValue(change.HoldId, out var seen) ? seen : _rows.GetValueOrDefault(change.HoldId);
            var (next, error) = Next(entry, current, change);
            if (error is not null)
            {
                return error;
            }

            after[change.HoldId] = next!;
            var heldAfter = next!.Status == HoldStatus.Pending ? next.Amount : 0;
            var heldBefore = current?.Status == HoldStatus.Pending ? current.Amount : 0;
            if (heldAfter != heldBefore)
            {
                heldDelta[next.DebitAccountId] = checked(heldDelta.GetValueOrDefault(next.DebitAccountId) + heldAfter - heldBefore);
            }
        }

        return null;
    }

    /// <summary>Inserts the holds placed in the batch and updates those changed (a hold placed and changed is inserted as it ended).</summary>
    public IEnumerable<NpgsqlBatchCommand> WriteCommands(DateTimeOffset now)
    {
        if (_placed.Count > 0)
        {
            var placed = _placed.Select(id => _rows[id]).ToArray();
            var insert = new NpgsqlBatchCommand(
                """
                INSERT INTO ledger_holds (id, debit_account_id, credit_account_id, amount, currency, status, posted_amount, refunded_amount, created_at, expires_at, resolved_at)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])
                """);
            insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. placed.Select(row => row.Id)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. placed.Select(row => row.DebitAccountId)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. placed.Select(row => row.CreditAccountId)] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. placed.Select(row => row.Amount)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. placed.Select(row => row.Currency!)] });
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. placed.Select(row => row.Status)] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. placed.Select(row => row.Posted)] });
            insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. placed.Select(row => row.Refunded)] });
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. placed.Select(_ => now.UtcDateTime)] });
            insert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. placed.Select(row => row.ExpiresAt.UtcDateTime)] });
            insert.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. placed.Select(row => row.ResolvedAt?.UtcDateTime)] });
            yield return insert;
        }

        var changed = _changed.Where(id => !_placed.Contains(id)).Select(id => _rows[id]).ToArray();
        if (changed.Length > 0)
        {
            var update = new NpgsqlBatchCommand(
                """
                UPDATE ledger_holds AS h SET status = u.status, posted_amount = u.posted, refunded_amount = u.refunded, resolved_at = u.resolved
                FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[]) AS u(id, status, posted, refunded, resolved)
                WHERE h.id = u.id
                """);
            update.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. changed.Select(row => row.Id)] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. changed.Select(row => row.Status)] });
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. changed.Select(row => row.Posted)] });
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. changed.Select(row => row.Refunded)] });
            update.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. changed.Select(row => row.ResolvedAt?.UtcDateTime)] });
            yield return update;
        }
    }

    /// <summary>The hold after <paramref name="change"/>, or why the change is refused.</summary>
    private static (HoldRow? Next, PaymentError? Error) Next(LedgerEntry entry, HoldRow? current, LedgerHoldChange change)
    {
        switch (change)
        {
            case LedgerHoldChange.Place place:
                if (current is not null)
                {
                    return (null, NotPending(change.HoldId));
                }

                if (place.Amount <= 0)
                {
                    throw new LedgerInvariantException($"Transaction {entry.Id} holds {place.Amount}; holds are positive.");
                }

                return (new HoldRow(place.HoldId, place.DebitAccountId, place.CreditAccountId, place.Amount, HoldStatus.Pending, 0, 0, place.Currency, place.ExpiresAt), null);
            case LedgerHoldChange.Post post:
                if (current is not { Status: HoldStatus.Pending })
                {
                    return (null, NotPending(change.HoldId));
                }

                if (post.Amount <= 0 || post.Amount > current.Amount)
                {
                    throw new LedgerInvariantException($"Transaction {entry.Id} posts {post.Amount} of hold {post.HoldId} for {current.Amount}.");
                }

                // The money the post moves must be the entry's: the hold's debit to its credit, exactly the amount posted.
                AssertMoves(entry, current.DebitAccountId, current.CreditAccountId, post.Amount);
                return (current with { Status = HoldStatus.Posted, Posted = post.Amount }, null);
            case LedgerHoldChange.Release release:
                if (current is not { Status: HoldStatus.Pending })
                {
                    return (null, NotPending(change.HoldId));
                }

                if (!string.Equals(current.DebitAccountId, release.DebitAccountId, StringComparison.Ordinal))
                {
                    throw new LedgerInvariantException($"Transaction {entry.Id} releases hold {release.HoldId} of {current.DebitAccountId} as {release.DebitAccountId}'s.");
                }

                return (current with { Status = release.Expired ? HoldStatus.Expired : HoldStatus.Voided }, null);
            case LedgerHoldChange.Refund refund:
                if (current is not { Status: HoldStatus.Posted })
                {
                    return (null, NotPending(change.HoldId));
                }

                if (refund.Amount <= 0)
                {
                    throw new LedgerInvariantException($"Transaction {entry.Id} refunds {refund.Amount}; refunds are positive.");
                }

                if (checked(current.Refunded + refund.Amount) > current.Posted)
                {
                    return (null, new PaymentError(ErrorCodes.RefundExceedsCaptured, $"Only {current.Posted - current.Refunded} of the {current.Posted} captured is left to refund.", "amount"));
                }

                AssertMoves(entry, current.CreditAccountId, current.DebitAccountId, refund.Amount);
                return (current with { Refunded = current.Refunded + refund.Amount }, null);
            default:
                throw new LedgerInvariantException($"Transaction {entry.Id}: unknown hold change {change.GetType().Name}.");
        }
    }

    private static void AssertMoves(LedgerEntry entry, string from, string to, long amount)
    {
        if (!entry.Movements.Any(movement => movement.Amount == amount
            && string.Equals(movement.DebitAccountId, from, StringComparison.Ordinal)
            && string.Equals(movement.CreditAccountId, to, StringComparison.Ordinal)))
        {
            throw new LedgerInvariantException($"Transaction {entry.Id} changes a hold by {amount} but moves no such amount from {from} to {to}.");
        }
    }

    private static PaymentError NotPending(Guid holdId) =>
        new(ErrorCodes.HoldNotAvailable, $"Hold {holdId} is not in a state that allows this change.");

    /// <summary>A hold's row as the batch sees it; <c>Currency</c> and <c>ExpiresAt</c> are known only for holds placed in the batch.</summary>
    private sealed record HoldRow(Guid Id, string DebitAccountId, string CreditAccountId, long Amount, string Status, long Posted, long Refunded, string? Currency, DateTimeOffset ExpiresAt)
    {
        public DateTimeOffset? ResolvedAt { get; init; }
    }

    private static class HoldStatus
    {
        public const string Pending = "pending";
        public const string Posted = "posted";
        public const string Voided = "voided";
        public const string Expired = "expired";
    }
}
