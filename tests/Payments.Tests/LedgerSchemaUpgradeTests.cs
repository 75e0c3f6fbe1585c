using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Migration 0005 replaces postings + transactions + transfers with one ledger row per movement; a database that ran
/// the old schema keeps every movement, both balances after it, the transfer's note, and the day's sent total.
/// </summary>
public sealed class LedgerSchemaUpgradeTests
{
    private const int FirstVersionWithLedgerEntries = 5;

    [Fact]
    public async Task Money_recorded_under_the_old_schema_survives_the_upgrade()
    {
        await using var dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("ledger_upgrade", FirstVersionWithLedgerEntries - 1));

        var alice = Guid.CreateVersion7();
        var bob = Guid.CreateVersion7();
        var deposit = Guid.CreateVersion7();
        var transfer = Guid.CreateVersion7();
        await ExecuteAsync(dataSource, $"""
            INSERT INTO users (id, username, display_name, password_hash) VALUES ('{alice}', 'alice_up', 'Alice', 'x'), ('{bob}', 'bob_up', 'Bob', 'x');
            INSERT INTO accounts (id, kind, user_id, currency, balance) VALUES
                ('wallet:{alice}:USD', 'wallet', '{alice}', 'USD', 700), ('wallet:{bob}:USD', 'wallet', '{bob}', 'USD', 300);
            UPDATE accounts SET balance = -1000 WHERE id = 'system:bank:USD';
            INSERT INTO ledger_transactions VALUES ('{deposit}', 'deposit', now() - interval '1 minute'), ('{transfer}', 'transfer', now());
            INSERT INTO postings (transaction_id, account_id, amount, currency, balance_after, counterparty, created_at) VALUES
                ('{deposit}', 'system:bank:USD', -1000, 'USD', -1000, '{alice}', now() - interval '1 minute'),
                ('{deposit}', 'wallet:{alice}:USD', 1000, 'USD', 1000, 'bank', now() - interval '1 minute'),
                ('{transfer}', 'wallet:{alice}:USD', -300, 'USD', 700, '{bob}', now()),
                ('{transfer}', 'wallet:{bob}:USD', 300, 'USD', 300, '{alice}', now());
            INSERT INTO transfers VALUES ('{transfer}', '{alice}', '{bob}', 300, 'USD', 'rent', 'friends', 'completed', now());
            """);

        await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance);

        var rows = await ReadAsync(dataSource,
            "SELECT type, debit_account_id, credit_account_id, amount, debit_balance_after, credit_balance_after, coalesce(note, '-'), coalesce(visibility, '-') FROM ledger_entries ORDER BY sequence");
        Assert.Equal(
            [
                $"deposit|system:bank:USD|wallet:{alice}:USD|1000|-1000|1000|-|-",
                $"transfer|wallet:{alice}:USD|wallet:{bob}:USD|300|700|300|rent|friends",
            ],
            rows);
        Assert.Equal(["0"], await ReadAsync(dataSource,
            "SELECT count(*) FROM accounts a WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM ledger_postings p WHERE p.account_id = a.id)"));
        Assert.Equal(["300"], await ReadAsync(dataSource, $"SELECT sent_that_day FROM accounts WHERE id = 'wallet:{alice}:USD' AND sent_on = (now() AT TIME ZONE 'UTC')::date"));
        Assert.Equal(["0"], await ReadAsync(dataSource, "SELECT count(*) FROM pg_tables WHERE tablename IN ('postings', 'transfers', 'ledger_transactions')"));
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> ReadAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
