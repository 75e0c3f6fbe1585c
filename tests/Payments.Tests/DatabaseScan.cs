using Npgsql;
using Xunit;

namespace Payments.Tests;

/// <summary>Looks for secrets at rest: every column of every row of every table (all schemas), as text.</summary>
public static class DatabaseScan
{
    /// <summary>Fails if any row holds one of <paramref name="secrets"/> or a field named "cvc"; returns the tables scanned.</summary>
    public static async Task<List<string>> AssertNoRowHoldsAsync(string connectionString, params string[] secrets)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var tables = new List<string>();
        await using (var list = dataSource.CreateCommand("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var scan = dataSource.CreateCommand($"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%\"cvc\"%' OR t::text LIKE ANY ($1)");
            scan.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = secrets.Select(secret => $"%{secret}%").ToArray() });
            Assert.True((long)(await scan.ExecuteScalarAsync())! == 0, $"{table} holds a card number or a CVC");
        }

        return tables;
    }
}
