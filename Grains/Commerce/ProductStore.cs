using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Commerce;
using Payments.Infrastructure.Postgres;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Commerce;

/// <summary>
/// The products' rows: the catalog each product grain owns, and the listings' read model of stock
/// (<c>units_available</c>), written after each stock transaction commits and ordered by the stock's version.
/// </summary>
public sealed class ProductStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, merchant_id, name, description, price, currency, active, units_available, created_at, updated_at, deleted_at";

    public async Task<ProductView?> GetAsync(string id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM products WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Listed products (active, not deleted), newest first, after the cursor; one more than the limit says there are more.</summary>
    public async Task<ProductPage> ListAsync(ProductQuery query)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM products
            WHERE active AND deleted_at IS NULL
              AND ($1::text IS NULL OR merchant_id = $1)
              AND ($2::text IS NULL OR id < $2)
              AND ($3::text IS NULL OR name ILIKE '%' || $3 || '%' ESCAPE '\')
            ORDER BY id DESC
            LIMIT $4
            """);
        command.Parameters.Add(Text(query.Merchant));
        command.Parameters.Add(Text(query.StartingAfter));
        command.Parameters.Add(Text(query.Text is null ? null : EscapeLike(query.Text)));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit + 1 });
        var products = new List<ProductView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            products.Add(Read(reader));
        }

        return new ProductPage(products.Take(query.Limit).ToList(), products.Count > query.Limit);
    }

    public static NpgsqlBatchCommand Insert(ProductView product)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO products (id, merchant_id, name, description, price, currency, active, units_available, stock_version, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8, $8)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Merchant });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Description });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = product.Price });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Currency });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = product.Active });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = product.CreatedAt.UtcDateTime });
        return command;
    }

    public static NpgsqlBatchCommand Update(ProductView product)
    {
        var command = new NpgsqlBatchCommand("UPDATE products SET name = $2, description = $3, price = $4, active = $5, updated_at = $6, deleted_at = $7 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = product.Description });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = product.Price });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = product.Active });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = product.UpdatedAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = product.DeletedAt is { } deleted ? deleted.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return command;
    }

    /// <summary>The read model takes a committed stock level unless it already shows a later one.</summary>
    public static NpgsqlBatchCommand PublishStock(StockLevel level)
    {
        var command = new NpgsqlBatchCommand("UPDATE products SET units_available = $2, stock_version = $3 WHERE id = $1 AND stock_version < $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = level.Product });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = level.Available });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = level.Version });
        return command;
    }

    /// <summary>Runs the statements in one transaction.</summary>
    public Task SaveAsync(IEnumerable<NpgsqlBatchCommand> commands) => TransactionalBatch.ExecuteAsync(dataSource, commands);

    private static ProductView Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5), reader.GetBoolean(6),
        reader.GetInt32(7), new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero), new DateTimeOffset(reader.GetDateTime(9), TimeSpan.Zero),
        reader.IsDBNull(10) ? null : new DateTimeOffset(reader.GetDateTime(10), TimeSpan.Zero));

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
