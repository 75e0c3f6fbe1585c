using Npgsql;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>How the row-locking baselines send a statement: one at a time, parameters by position, on the connection's transaction.</summary>
internal static class BaselineSql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }
}
