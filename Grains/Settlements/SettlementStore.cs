using System.Text.Json;
using Npgsql;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Ledger;
using Payments.Infrastructure.Streams;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Settlements;

/// <summary>The <c>merchant_settlements</c> and <c>merchant_payouts</c> tables, and the ledger rows a settlement covers.</summary>
public sealed class SettlementStore(NpgsqlDataSource dataSource)
{
    /// <summary>Most pending payouts of one merchant sent to the bank in one round; the rest wait for the next.</summary>
    public const int MaxPerRound = 100;

    private const string PayoutColumns = "id, amount, currency, status, settlement_id, created_at, paid_at, failed_at, failure_code, last_error";

    /// <summary>
    /// The rows of the merchant's pending account after its last settlement, in commit order, up to the first one
    /// younger than <paramref name="cutoff"/> (so a later settlement starts exactly where this one ends), and the
    /// available balance. Settlements' own rows are left out: they are what moves the net away.
    /// </summary>
    public async Task<SettlementWindow> WindowAsync(string merchantId, string currency, DateTimeOffset cutoff)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(
                    """
                    WITH last AS (SELECT coalesce(max(through_sequence), 0) AS after FROM merchant_settlements WHERE merchant_id = $1),
                    rows AS (
                        SELECT e.sequence, e.created_at, CASE WHEN e.credit_account_id = $2 THEN e.amount ELSE -e.amount END AS delta
                        FROM ledger_entries e, last
                        WHERE (e.debit_account_id = $2 OR e.credit_account_id = $2) AND e.sequence > last.after AND e.type <> 'settlement'),
                    covered AS (
                        SELECT * FROM rows WHERE sequence < coalesce((SELECT min(sequence) FROM rows WHERE created_at > $3), 9223372036854775807))
                    SELECT last.after, (SELECT max(sequence) FROM covered), (SELECT coalesce(sum(delta), 0) FROM covered)::bigint FROM last
                    """,
                    new NpgsqlParameter<string> { TypedValue = merchantId },
                    new NpgsqlParameter<string> { TypedValue = LedgerAccounts.MerchantPending(merchantId, currency) },
                    new NpgsqlParameter<DateTime> { TypedValue = cutoff.UtcDateTime }),
                Command(
                    "SELECT balance, version FROM accounts WHERE id = $1",
                    new NpgsqlParameter<string> { TypedValue = LedgerAccounts.MerchantAvailable(merchantId, currency) }),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (after, through, net) = (reader.GetInt64(0), reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1), reader.GetInt64(2));
        await reader.NextResultAsync();
        if (!await reader.ReadAsync())
        {
            throw new LedgerInvariantException($"Merchant {merchantId} has no available account in {currency}.");
        }

        return new SettlementWindow(after, through, net, reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The settlement's and the payout's rows, as statements of the ledger transaction that moves their money.</summary>
    public static IEnumerable<NpgsqlBatchCommand> SettleCommands(string merchantId, SettlementWindow window, SettlementView? settlement, MerchantPayoutView? payout)
    {
        if (settlement is not null)
        {
            yield return Command(
                """
                INSERT INTO merchant_settlements (id, merchant_id, currency, after_sequence, through_sequence, amount, cutoff, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """,
                new NpgsqlParameter<string> { TypedValue = settlement.Id },
                new NpgsqlParameter<string> { TypedValue = merchantId },
                new NpgsqlParameter<string> { TypedValue = settlement.Currency },
                new NpgsqlParameter<long> { TypedValue = window.AfterSequence },
                new NpgsqlParameter<long> { TypedValue = window.ThroughSequence!.Value },
                new NpgsqlParameter<long> { TypedValue = settlement.Amount },
                new NpgsqlParameter<DateTime> { TypedValue = settlement.Cutoff.UtcDateTime },
                new NpgsqlParameter<DateTime> { TypedValue = settlement.CreatedAt.UtcDateTime });
        }

        if (payout is not null)
        {
            yield return Command(
                "INSERT INTO merchant_payouts (id, merchant_id, settlement_id, amount, currency, status, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
                new NpgsqlParameter<string> { TypedValue = payout.Id },
                new NpgsqlParameter<string> { TypedValue = merchantId },
                Text(payout.SettlementId),
                new NpgsqlParameter<long> { TypedValue = payout.Amount },
                new NpgsqlParameter<string> { TypedValue = payout.Currency },
                new NpgsqlParameter<DateTime> { TypedValue = payout.CreatedAt.UtcDateTime });
        }
    }

    /// <summary>
    /// The payout marked failed, with its <c>payout.failed</c> event, as statements of the ledger transaction that returns
    /// its money to the available balance.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> FailCommands(string merchantId, MerchantPayoutView failed)
    {
        // A payout no longer pending (marked paid by another activation) must not have its money returned: the
        // division by the count of updated rows fails the whole transaction when there is none.
        yield return Command(
            """
            WITH failed AS (
                UPDATE merchant_payouts SET status = 'failed', failed_at = $2, failure_code = $3, last_error = $4, attempts = attempts + 1
                WHERE id = $1 AND status = 'pending' RETURNING id)
            SELECT 1 / (SELECT count(*) FROM failed)::int
            """,
            new NpgsqlParameter<string> { TypedValue = failed.Id },
            new NpgsqlParameter<DateTime> { TypedValue = failed.FailedAt!.Value.UtcDateTime },
            new NpgsqlParameter<string> { TypedValue = failed.FailureCode! },
            new NpgsqlParameter<string> { TypedValue = failed.FailureMessage ?? failed.FailureCode! });
        yield return StreamOutbox.AppendCommand([Changed(merchantId, MerchantPayoutStream.Failed, failed.FailedAt!.Value, failed)]);
    }

    /// <summary>Marks a pending payout paid with its <c>payout.paid</c> event, in one transaction; false if it was not pending.</summary>
    public async Task<bool> MarkPaidAsync(string merchantId, MerchantPayoutView paid)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command(
                    "UPDATE merchant_payouts SET status = 'paid', paid_at = $2, attempts = attempts + 1 WHERE id = $1 AND status = 'pending'",
                    new NpgsqlParameter<string> { TypedValue = paid.Id },
                    new NpgsqlParameter<DateTime> { TypedValue = paid.PaidAt!.Value.UtcDateTime }),
            },
        };
        if (await batch.ExecuteNonQueryAsync() == 0)
        {
            await transaction.RollbackAsync();
            return false;
        }

        await StreamOutbox.AppendAsync(connection, transaction, [Changed(merchantId, MerchantPayoutStream.Paid, paid.PaidAt!.Value, paid)]);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Counts a bank attempt that did not settle the payout either way, with what the bank said.</summary>
    public async Task NoteAttemptAsync(string payoutId, string error)
    {
        await using var command = dataSource.CreateCommand("UPDATE merchant_payouts SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payoutId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The merchant's pending payouts, oldest first (at most <see cref="MaxPerRound"/>).</summary>
    public async Task<IReadOnlyList<MerchantPayoutView>> PendingAsync(string merchantId)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {PayoutColumns} FROM merchant_payouts WHERE merchant_id = $1 AND status = 'pending' ORDER BY created_at LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxPerRound });
        return await ReadPayoutsAsync(command);
    }

    /// <summary>A page of the merchant's payouts, newest first; one row more than the limit says whether more follow.</summary>
    public async Task<List<MerchantPayoutView>> ListAsync(string merchantId, string? status, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {PayoutColumns} FROM merchant_payouts
            WHERE merchant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(Text(status));
        command.Parameters.Add(Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        return await ReadPayoutsAsync(command);
    }

    private static OutboxMessage Changed(string merchantId, string type, DateTimeOffset at, MerchantPayoutView payout) =>
        OutboxMessage.Create(MerchantPayoutStream.Namespace, merchantId, type, JsonSerializer.Serialize(new PayoutChangedEvent(type, at, payout), PaymentsJson.Options));

    private static async Task<List<MerchantPayoutView>> ReadPayoutsAsync(NpgsqlCommand command)
    {
        var payouts = new List<MerchantPayoutView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var status = reader.GetString(3);
            payouts.Add(new MerchantPayoutView(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2).TrimEnd(),
                status,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                status == MerchantPayoutStatus.Failed && !reader.IsDBNull(9) ? reader.GetString(9) : null));
        }

        return payouts;
    }
}
