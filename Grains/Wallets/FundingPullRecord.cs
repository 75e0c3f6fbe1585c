using Npgsql;
using Payments.Grains.Ledger;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Wallets;

/// <summary>
/// A pull from a user's bank or card credited by an entry (a deposit, a funded send, or the return of a pull whose send
/// was refused), written in the entry's transaction: the <c>funding_pulls</c> key refuses a second credit for the same
/// pull (deploy/sql/0025_funding_pulls.sql), whatever became of the request's idempotency record.
/// </summary>
internal sealed record FundingPullRecord(string PullKey, string AccountId, long Amount, Guid EntryId) : ILedgerRecord
{
    /// <summary>The constraint a second credit of one pull breaks.</summary>
    public const string UniqueConstraint = "funding_pulls_pkey";

    public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType)
    {
        var pulls = sameType.Cast<FundingPullRecord>().ToArray();
        yield return Command(
            """
            INSERT INTO funding_pulls (pull_key, account_id, amount, transaction_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::uuid[])
            """,
            ArrayOf(pulls.Select(pull => pull.PullKey)),
            ArrayOf(pulls.Select(pull => pull.AccountId)),
            ArrayOf(pulls.Select(pull => pull.Amount)),
            ArrayOf(pulls.Select(pull => pull.EntryId)));
    }
}
