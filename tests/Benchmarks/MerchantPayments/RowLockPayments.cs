using Npgsql;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>
/// The baseline: a payment service without actors or batching. Authorization is one transaction (insert the payment,
/// add to the merchant's held amount under its row lock); capture is another (lock the payment and the merchant's row,
/// move the money, write two ledger rows, mark the payment captured). Every payment of a hot merchant waits for its
/// row twice.
/// </summary>
internal sealed class RowLockPayments(NpgsqlDataSource dataSource)
{
    public async Task SetUpAsync()
    {
        await using var create = dataSource.CreateCommand(
            """
            DROP TABLE IF EXISTS bench_payment_ledger; DROP TABLE IF EXISTS bench_payments; DROP TABLE IF EXISTS bench_merchants;
            CREATE TABLE bench_merchants (id int PRIMARY KEY, pending bigint NOT NULL, held bigint NOT NULL CHECK (held >= 0));
            CREATE TABLE bench_payments (id uuid PRIMARY KEY, merchant int NOT NULL, amount bigint NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
            CREATE TABLE bench_payment_ledger (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payment uuid NOT NULL, debit text NOT NULL, credit text NOT NULL, amount bigint NOT NULL);
            INSERT INTO bench_merchants VALUES (0, 0, 0);
            """);
        await create.ExecuteNonQueryAsync();
    }

    public async Task<bool> AuthorizeAndCaptureAsync(long amount)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var authorize = await connection.BeginTransactionAsync())
        {
            await BaselineSql.ExecuteAsync(connection, "SELECT held FROM bench_merchants WHERE id = 0 FOR UPDATE");
            await BaselineSql.ExecuteAsync(connection, "INSERT INTO bench_payments (id, merchant, amount, status) VALUES ($1, 0, $2, 'requires_capture')", id, amount);
            await BaselineSql.ExecuteAsync(connection, "UPDATE bench_merchants SET held = held + $1 WHERE id = 0", amount);
            await authorize.CommitAsync();
        }

        var fee = (amount * 290 + 5_000) / 10_000 + 30;
        await using var capture = await connection.BeginTransactionAsync();
        await BaselineSql.ExecuteAsync(connection, "SELECT status FROM bench_payments WHERE id = $1 FOR UPDATE", id);
        await BaselineSql.ExecuteAsync(connection, "SELECT pending FROM bench_merchants WHERE id = 0 FOR UPDATE");
        await BaselineSql.ExecuteAsync(connection, "UPDATE bench_merchants SET held = held - $1, pending = pending + $1 - $2 WHERE id = 0", amount, fee);
        await BaselineSql.ExecuteAsync(connection, "INSERT INTO bench_payment_ledger (payment, debit, credit, amount) VALUES ($1, 'card_clearing', 'merchant', $2), ($1, 'merchant', 'fees', $3)", id, amount, fee);
        await BaselineSql.ExecuteAsync(connection, "UPDATE bench_payments SET status = 'succeeded' WHERE id = $1", id);
        await capture.CommitAsync();
        return true;
    }
}
