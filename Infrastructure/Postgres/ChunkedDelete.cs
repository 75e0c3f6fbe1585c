using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>
/// Runs a bounded DELETE again and again until a round deletes fewer rows than its bound, so a cleanup of many rows
/// never holds locks for long in one statement.
/// </summary>
public static class ChunkedDelete
{
    /// <summary>Most rows one round deletes.</summary>
    public const int RowsPerRound = 10_000;

    /// <summary>
    /// Repeats <paramref name="sql"/>, whose last parameter is the most rows one round deletes (<see cref="RowsPerRound"/>);
    /// <paramref name="bind"/> adds the parameters before it. Returns how many rows all rounds deleted.
    /// </summary>
    public static async Task<long> RunAsync(NpgsqlDataSource dataSource, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(bind);
        long total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand(sql);
            bind(command.Parameters);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = RowsPerRound });
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted == RowsPerRound);

        return total;
    }
}
