using System.Data;
using Npgsql;
using Payments.Grains.Interfaces.Ledger;
using Orleans;

namespace Payments.Grains.Audit;

/// <summary>
/// Checks the ledger's invariants in one repeatable-read snapshot: accounts sum to zero per currency, every account
/// row equals the sum of its postings (each ledger row seen from both sides) and its held amount the sum of its
/// pending holds, no wallet is negative, no row names a missing account, and every transaction's legs are complete
/// (0..n-1). Rows balance by construction.
/// Merchant balances may be negative (refunds, as at Stripe); they count in the per-currency sum like any account.
/// </summary>
[GrainType("ledger-audit")]
public sealed class LedgerAuditGrain(NpgsqlDataSource dataSource, TimeProvider time) : Grain, ILedgerAuditGrain
{
    private const int SampleSize = 20;

    public async Task<LedgerAuditReport> Audit()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);

        var currencies = new List<CurrencyTotal>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT currency, sum(balance)::bigint, coalesce(sum(balance) FILTER (WHERE kind = 'wallet'), 0)::bigint,
                   coalesce(sum(balance) FILTER (WHERE kind = 'system'), 0)::bigint,
                   coalesce(sum(balance) FILTER (WHERE kind = 'merchant'), 0)::bigint
            FROM accounts GROUP BY currency ORDER BY currency
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                currencies.Add(new CurrencyTotal(reader.GetString(0).Trim(), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        // Rows balance by construction (one amount, two sides); what can go wrong is an account row that disagrees
        // with its history, a negative wallet, a row naming a missing account, or a gap in a transaction's legs.
        var mismatched = await SampleAsync(connection, transaction,
            """
            SELECT a.id FROM accounts a
            LEFT JOIN (SELECT account_id, sum(amount) AS total FROM ledger_postings GROUP BY account_id) p ON p.account_id = a.id
            WHERE a.balance <> coalesce(p.total, 0) LIMIT $1
            """);
        var heldMismatched = await SampleAsync(connection, transaction,
            """
            SELECT a.id FROM accounts a
            LEFT JOIN (SELECT debit_account_id, sum(amount) AS total FROM ledger_holds WHERE status = 'pending' GROUP BY debit_account_id) h
                ON h.debit_account_id = a.id
            WHERE a.held <> coalesce(h.total, 0) LIMIT $1
            """);
        var negative = await SampleAsync(connection, transaction, "SELECT id FROM accounts WHERE kind = 'wallet' AND balance < 0 LIMIT $1");
        var orphans = await SampleAsync(connection, transaction,
            """
            SELECT 'entry ' || e.transaction_id || '/' || e.leg FROM ledger_entries e
            WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.debit_account_id)
               OR NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.credit_account_id)
            LIMIT $1
            """);
        var unbalanced = await SampleAsync(connection, transaction,
            "SELECT transaction_id::text FROM ledger_entries GROUP BY transaction_id HAVING count(*) <> max(leg) + 1 LIMIT $1");
        var accounts = await CountAsync(connection, transaction, "SELECT count(*) FROM accounts");
        var transactions = await CountAsync(connection, transaction, "SELECT count(DISTINCT transaction_id) FROM ledger_entries");
        var postings = await CountAsync(connection, transaction, "SELECT 2 * count(*) FROM ledger_entries");
        await transaction.CommitAsync();

        var balanced = currencies.All(total => total.Sum == 0) && unbalanced.Count == 0 && mismatched.Count == 0 && heldMismatched.Count == 0
            && negative.Count == 0 && orphans.Count == 0;
        return new LedgerAuditReport(balanced, currencies, accounts, transactions, postings, unbalanced, mismatched, heldMismatched, negative, orphans, time.GetUtcNow());
    }

    private static async Task<List<string>> SampleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SampleSize });
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
