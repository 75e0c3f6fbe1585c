using Npgsql;
using Orleans;

namespace Payments.Benchmarks.Commerce;

/// <summary>A product's stock in one ordinary grain, for the cost of a reservation without an Orleans transaction (key: the product index).</summary>
[Alias("bench.IPlainStockGrain")]
public interface IPlainStockGrain : IGrainWithIntegerKey
{
    /// <summary>Takes one unit if any is left, written to its row before answering; false when none is left.</summary>
    [Alias("Reserve")]
    Task<bool> Reserve();
}

/// <summary>
/// Keeps the units in memory and writes each change to <c>bench_stock</c> before answering: one grain turn and one
/// autocommitted statement a reservation, durable like the transactional one but with no transaction protocol.
/// </summary>
public sealed class PlainStockGrain(NpgsqlDataSource dataSource) : Grain, IPlainStockGrain
{
    private int? _units;

    public async Task<bool> Reserve()
    {
        if (_units is null)
        {
            await using var read = dataSource.CreateCommand("SELECT units FROM bench_stock WHERE id = $1");
            read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)this.GetPrimaryKeyLong() });
            _units = (int)(await read.ExecuteScalarAsync())!;
        }

        if (_units == 0)
        {
            return false;
        }

        await using var write = dataSource.CreateCommand("UPDATE bench_stock SET units = $2 WHERE id = $1");
        write.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)this.GetPrimaryKeyLong() });
        write.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _units.Value - 1 });
        await write.ExecuteNonQueryAsync();
        _units--;
        return true;
    }
}
