using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Payments.Grains.Acquiring;
using Payments.Grains.Fraud;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Ledger;
using Payments.Grains.MerchantPayments;
using Payments.Grains.Merchants;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>
/// The second baseline: this platform's payment, written as a conventional service would write it on row locks. It
/// makes the same reads and writes as the grains for each request, on copies of the same tables (same columns, checks
/// and indexes) and with the same services (the merchant's row, the fraud scorer, the simulated acquirer), but each
/// request is one database transaction of its own, statement after statement, with no actor and no batching.
/// </summary>
/// <remarks>
/// It is written to hold the hot rows (the merchant's account, card clearing, fees) as briefly as a careful engineer
/// would: a transaction writes its new rows first (hold, payment, event, outbox, idempotency record) and locks the
/// accounts last, just before moving the money and committing. So it is no straw man: its hot-row sections are
/// shorter than the minimal baseline's (<see cref="RowLockPayments"/>), which writes less.
/// </remarks>
internal sealed class RowLockLedgerPayments(
    NpgsqlDataSource dataSource, string merchantId, MerchantStore merchants, FraudScorer fraud, ICardAcquirer acquirer, MerchantPaymentOptions options)
{
    private const long Amount = 1_000;
    private const string Currency = "USD";
    private const string Actor = "api_key:key_baseline";

    private readonly string _merchantAccount = LedgerAccounts.MerchantPending(merchantId, Currency);
    private readonly string _clearingAccount = LedgerAccounts.CardClearing(Currency);
    private readonly string _feesAccount = LedgerAccounts.Fees(Currency);
    private long _totalAtStart;
    private long _clearingAtStart;

    /// <summary>Copies of the tables a payment writes, and of the three accounts it moves money between.</summary>
    public async Task SetUpAsync()
    {
        await using var create = dataSource.CreateCommand(
            """
            DROP TABLE IF EXISTS rowlock_accounts, rowlock_ledger_entries, rowlock_ledger_holds, rowlock_merchant_payments,
                                 rowlock_merchant_payment_events, rowlock_idempotency_records, rowlock_outbox_events;
            CREATE TABLE rowlock_accounts (LIKE accounts INCLUDING ALL);
            CREATE TABLE rowlock_ledger_entries (LIKE ledger_entries INCLUDING ALL);
            CREATE TABLE rowlock_ledger_holds (LIKE ledger_holds INCLUDING ALL);
            CREATE TABLE rowlock_merchant_payments (LIKE merchant_payments INCLUDING ALL);
            ALTER TABLE rowlock_merchant_payments ADD FOREIGN KEY (merchant_id) REFERENCES merchants (id);
            CREATE TABLE rowlock_merchant_payment_events (LIKE merchant_payment_events INCLUDING ALL);
            CREATE TABLE rowlock_idempotency_records (LIKE idempotency_records INCLUDING ALL);
            CREATE TABLE rowlock_outbox_events (LIKE outbox_events INCLUDING ALL);
            """);
        await create.ExecuteNonQueryAsync();
        await using var accounts = dataSource.CreateCommand("INSERT INTO rowlock_accounts SELECT * FROM accounts WHERE id = ANY($1)");
        accounts.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [_merchantAccount, _clearingAccount, _feesAccount] });
        if (await accounts.ExecuteNonQueryAsync() != 3)
        {
            throw new InvalidOperationException("The merchant's, card clearing's and the fees' accounts were not all found.");
        }

        await using var balances = dataSource.CreateCommand("SELECT sum(balance)::bigint, (sum(balance) FILTER (WHERE id = $1))::bigint FROM rowlock_accounts");
        balances.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clearingAccount });
        await using var reader = await balances.ExecuteReaderAsync();
        await reader.ReadAsync();
        (_totalAtStart, _clearingAtStart) = (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Checks the baseline kept its books, so that its speed is that of a correct ledger: the three accounts' total never
    /// moved, card clearing holds exactly its pending holds and moved by exactly its legs, and every captured payment
    /// has its two legs.
    /// </summary>
    public async Task VerifyAsync()
    {
        await using var check = dataSource.CreateCommand(
            """
            SELECT (SELECT sum(balance) FROM rowlock_accounts)::bigint,
                   (SELECT held FROM rowlock_accounts WHERE id = $1) = (SELECT coalesce(sum(amount), 0) FROM rowlock_ledger_holds WHERE status = 'pending'),
                   (SELECT balance FROM rowlock_accounts WHERE id = $1) - $2 = -(SELECT coalesce(sum(amount), 0) FROM rowlock_ledger_entries WHERE debit_account_id = $1),
                   (SELECT count(*) FROM rowlock_ledger_entries) = 2 * (SELECT count(*) FROM rowlock_merchant_payments WHERE status = 'succeeded')
            """);
        check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clearingAccount });
        check.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _clearingAtStart });
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt64(0) != _totalAtStart || !reader.GetBoolean(1) || !reader.GetBoolean(2) || !reader.GetBoolean(3))
        {
            throw new InvalidOperationException(
                $"The row-locking baseline's books do not balance: total {reader.GetInt64(0)} (was {_totalAtStart}), held matches holds {reader.GetBoolean(1)}, "
                + $"clearing matches its legs {reader.GetBoolean(2)}, two legs a capture {reader.GetBoolean(3)}.");
        }
    }

    /// <summary>One payment: authorized (a manual capture), then captured, each its own request with its own key.</summary>
    public async Task<bool> AuthorizeAndCaptureAsync()
    {
        var paymentId = await AuthorizeAsync(Guid.NewGuid().ToString("N"));
        return paymentId is not null && await CaptureAsync(paymentId, Guid.NewGuid().ToString("N"));
    }

    private async Task<string?> AuthorizeAsync(string key)
    {
        if (await FindRecordAsync(key))
        {
            return null;
        }

        var merchant = (await merchants.LoadAsync(merchantId))?.Merchant ?? throw new InvalidOperationException("No merchant.");
        var fingerprint = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var assessment = await fraud.AssessAsync(new FraudInput(merchantId, Amount, Currency, fingerprint, null, null, null, null), merchant.Fraud);
        if (assessment.Outcome == FraudOutcomes.Block)
        {
            return null;
        }

        var paymentId = PrefixedId.New(PrefixedId.Payment);
        var decision = await acquirer.AuthorizeAsync(
            new CardAuthorization($"{merchantId}/{key}/{key}", "4242424242424242", 12, 2030, "123", Amount, Currency), CancellationToken.None);
        if (!decision.Approved)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var holdId = Guid.CreateVersion7();
        var expiresAt = now + options.AuthorizationLifetime;
        var view = new PaymentView(
            paymentId, merchantId, PaymentStatus.RequiresConfirmation, Amount, 0, 0, 0, 0, Currency, CaptureMethods.Manual,
            new PaymentMethodView(PaymentMethodTypes.Card, "visa", "4242", 12, 2030, fingerprint, null), null, null, null, assessment, null, null, [],
            PrefixedId.TimeOf(paymentId), null, null, null, null) with
            {
                Status = PaymentStatus.RequiresCapture, AmountCapturable = Amount, AuthorizationCode = decision.AuthorizationCode, AuthorizationExpiresAt = expiresAt,
            };
        var record = new PaymentRecord(
            new PaymentState(view, holdId, 1, new PaymentSignals(fingerprint, null, null, null)), new PaymentChange("payment.authorized", Actor, Amount, now));

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await BaselineSql.ExecuteAsync(connection,
            """
            INSERT INTO rowlock_ledger_holds (id, debit_account_id, credit_account_id, amount, currency, status, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
            """, holdId, _clearingAccount, _merchantAccount, Amount, Currency, now, expiresAt);
        await BaselineSql.ExecuteAsync(connection,
            """
            INSERT INTO rowlock_merchant_payments (id, merchant_id, status, amount, currency, hold_id, view, version, created_at, updated_at, card_fingerprint, authorization_expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::json, 1, $8, $9, $10, $11)
            """, paymentId, merchantId, view.Status, Amount, Currency, holdId, record.ViewJson, view.CreatedAt, now, fingerprint, expiresAt);
        await WriteRecordsAsync(connection, record, key);

        // The hot rows, last: card clearing holds the amount for the merchant.
        await LockAccountsAsync(connection, [_clearingAccount, _merchantAccount]);
        await BaselineSql.ExecuteAsync(connection, "UPDATE rowlock_accounts SET held = held + $2, version = version + 1 WHERE id = $1", _clearingAccount, Amount);
        await transaction.CommitAsync();
        return paymentId;
    }

    private async Task<bool> CaptureAsync(string paymentId, string key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        PaymentState state;
        await using (var payment = new NpgsqlCommand("SELECT view, hold_id, version FROM rowlock_merchant_payments WHERE id = $1 FOR UPDATE", connection))
        {
            payment.Parameters.Add(new NpgsqlParameter<string> { TypedValue = paymentId });
            await using var reader = await payment.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return false;
            }

            var stored = JsonSerializer.Deserialize<PaymentView>(reader.GetString(0), PaymentsJson.Options)!;
            state = new PaymentState(stored, reader.GetGuid(1), reader.GetInt32(2));
        }

        if (state.View.Status != PaymentStatus.RequiresCapture || state.HoldId is not { } holdId)
        {
            return false;
        }

        await using (var hold = new NpgsqlCommand("SELECT status, amount FROM rowlock_ledger_holds WHERE id = $1 FOR UPDATE", connection))
        {
            hold.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = holdId });
            await using var reader = await hold.ExecuteReaderAsync();
            if (!await reader.ReadAsync() || reader.GetString(0) != "pending" || reader.GetInt64(1) != state.View.AmountCapturable)
            {
                return false;
            }
        }

        var now = DateTimeOffset.UtcNow;
        var amount = state.View.AmountCapturable;
        var fee = options.FeeOn(amount);
        var captured = state.View with { Status = PaymentStatus.Succeeded, AmountCapturable = 0, AmountCaptured = amount, Fee = fee, CapturedAt = now };
        var record = new PaymentRecord(new PaymentState(captured, holdId, state.Version + 1), new PaymentChange("payment.captured", Actor, amount, now));
        await BaselineSql.ExecuteAsync(connection,
            "UPDATE rowlock_ledger_holds SET status = 'posted', posted_amount = $2, resolved_at = $3 WHERE id = $1", holdId, amount, now);
        await BaselineSql.ExecuteAsync(connection,
            "UPDATE rowlock_merchant_payments SET status = $2, view = $3::json, version = $4, updated_at = $5 WHERE id = $1",
            paymentId, captured.Status, record.ViewJson, record.State.Version, now);
        await WriteRecordsAsync(connection, record, key);

        // The hot rows, last: the amount leaves card clearing (and its hold) for the merchant, the fee goes to fees.
        var balances = await LockAccountsAsync(connection, [_merchantAccount, _clearingAccount, _feesAccount]);
        var clearing = balances[_clearingAccount] - amount;
        var merchantAfterCapture = balances[_merchantAccount] + amount;
        var merchantAfterFee = merchantAfterCapture - fee;
        var fees = balances[_feesAccount] + fee;
        await BaselineSql.ExecuteAsync(connection,
            """
            UPDATE rowlock_accounts AS a SET balance = u.balance, held = a.held - u.released, version = a.version + 1
            FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(id, balance, released) WHERE a.id = u.id
            """,
            new[] { _clearingAccount, _merchantAccount, _feesAccount }, new[] { clearing, merchantAfterFee, fees }, new[] { amount, 0L, 0L });
        var transactionId = Guid.CreateVersion7();
        await BaselineSql.ExecuteAsync(connection,
            """
            INSERT INTO rowlock_ledger_entries (transaction_id, leg, type, debit_account_id, credit_account_id, amount, currency,
                                                debit_balance_after, credit_balance_after, created_at, reference)
            VALUES ($1, 0, 'capture', $2, $3, $4, $6, $7, $8, $10, $11), ($1, 1, 'capture', $3, $9, $5, $6, $12, $13, $10, $11)
            """,
            transactionId, _clearingAccount, _merchantAccount, amount, fee, Currency, clearing, merchantAfterCapture, _feesAccount, now, paymentId, merchantAfterFee, fees);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>The change's event, its outbox message and the request's idempotency record (the answer is the payment's view).</summary>
    private async Task WriteRecordsAsync(NpgsqlConnection connection, PaymentRecord record, string key)
    {
        var change = record.Change;
        await BaselineSql.ExecuteAsync(connection,
            "INSERT INTO rowlock_merchant_payment_events (payment_id, sequence, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5::json, $6)",
            record.State.View.Id, record.State.Version, change.Type, change.Actor, $"{{\"amount\":{change.Amount}}}", change.At);
        await BaselineSql.ExecuteAsync(connection,
            "INSERT INTO rowlock_outbox_events (event_id, stream_namespace, stream_key, type, payload) VALUES ($1, $2, $3, $4, $5::json)",
            Guid.CreateVersion7(), MerchantPaymentStream.Namespace, merchantId, change.Type, record.ChangedEventJson);
        await BaselineSql.ExecuteAsync(connection,
            "INSERT INTO rowlock_idempotency_records (scope, key, request_hash, status, body, expires_at) VALUES ($1, $2, $2, 201, $3, $4)",
            merchantId, key, record.ViewJson, DateTimeOffset.UtcNow.AddDays(1));
    }

    private async Task<bool> FindRecordAsync(string key)
    {
        await using var command = dataSource.CreateCommand("SELECT request_hash, status, body FROM rowlock_idempotency_records WHERE scope = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync();
    }

    /// <summary>Locks the accounts in id order (no deadlocks between requests) and returns their balances.</summary>
    private static async Task<Dictionary<string, long>> LockAccountsAsync(NpgsqlConnection connection, string[] ids)
    {
        await using var command = new NpgsqlCommand("SELECT id, balance FROM rowlock_accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            balances[reader.GetString(0)] = reader.GetInt64(1);
        }

        return balances.Count == ids.Length ? balances : throw new InvalidOperationException("An account is missing.");
    }
}
