using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Commerce;
using Payments.Infrastructure.Postgres;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Commerce;

/// <summary>
/// The orders' rows and event logs. Each save is one transaction: the order's row (checked against the version its
/// grain read, so a second activation cannot overwrite it), its new events, the audit records of the change, and the
/// read model's stock levels of a stock transaction that committed just before.
/// </summary>
public sealed class OrderStore(NpgsqlDataSource dataSource)
{
    public async Task<(OrderRecord Record, int Version, int Events)?> GetAsync(string id)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT body::text, version, (SELECT count(*)::int FROM order_events WHERE order_id = $1) FROM orders WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (JsonSerializer.Deserialize<OrderRecord>(reader.GetString(0), PaymentsJson.Options)!, reader.GetInt32(1), reader.GetInt32(2))
            : null;
    }

    /// <summary>The statements that record a new order and its first event.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Insert(OrderRecord record, OrderChange created, IEnumerable<NpgsqlBatchCommand> audit)
    {
        var view = record.View;
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO orders (id, merchant_id, buyer_id, status, amount, currency, payment_id, body, stuck, version, created_at, updated_at)
            VALUES ($1, $2, $3::uuid, $4, $5, $6, NULL, $7, false, 1, $8, $8)
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = view.Id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = view.Merchant });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = view.Buyer });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = view.Status });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = view.Amount });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = view.Currency });
        insert.Parameters.Add(Json(record));
        insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = view.CreatedAt.UtcDateTime });
        return [insert, Event(view.Id, 1, created, view.CreatedAt), .. audit];
    }

    /// <summary>Saves the order at <paramref name="version"/> + 1; false when another activation saved it first (nothing is saved).</summary>
    public Task<bool> SaveAsync(OrderRecord record, int version, int firstSequence, IReadOnlyList<OrderChange> changes, IEnumerable<NpgsqlBatchCommand> also)
    {
        var view = record.View;
        var update = Command(
            "UPDATE orders SET status = $3, payment_id = $4, body = $5, stuck = $6, version = $2 + 1, updated_at = $7 WHERE id = $1 AND version = $2",
            new NpgsqlParameter<string> { TypedValue = view.Id },
            new NpgsqlParameter<int> { TypedValue = version },
            new NpgsqlParameter<string> { TypedValue = view.Status },
            Text(view.Payment),
            Json(record),
            new NpgsqlParameter<bool> { TypedValue = view.Stuck is not null },
            new NpgsqlParameter<DateTime> { TypedValue = view.UpdatedAt.UtcDateTime });
        var events = changes.Select((change, index) => Event(view.Id, firstSequence + index, change, view.UpdatedAt));
        return TransactionalBatch.ExecuteGuardedAsync(dataSource, update, events.Concat(also));
    }

    /// <summary>
    /// The ledger transactions of a merchant payment (its capture and refunds), oldest first, each with its first leg's
    /// amount: what left or reached the payer (a capture's fee is a second leg).
    /// </summary>
    public async Task<List<OrderTransaction>> TransactionsAsync(string paymentId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT transaction_id, type, amount, currency, created_at FROM ledger_entries WHERE reference = $1 AND leg = 0 ORDER BY sequence");
        command.Parameters.Add(Text(paymentId));
        var transactions = new List<OrderTransaction>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            transactions.Add(new OrderTransaction(
                reader.GetGuid(0).ToString("D"), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return transactions;
    }

    public async Task<OrderEventPage> EventsAsync(string id)
    {
        await using var command = dataSource.CreateCommand("SELECT sequence, type, actor, data::text, created_at FROM order_events WHERE order_id = $1 ORDER BY sequence");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        var events = new List<OrderEventView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new OrderEventView(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), JsonColumn.Read(reader.GetString(3)), new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero)));
        }

        return new OrderEventPage(events, false);
    }

    /// <summary>A buyer's or a merchant's orders, newest first after the cursor.</summary>
    public async Task<OrderPage> ListAsync(string? buyerId, string? merchantId, string? status, int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT body::text FROM orders
            WHERE ($1::uuid IS NULL OR buyer_id = $1) AND ($2::text IS NULL OR merchant_id = $2) AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR id < $4)
            ORDER BY id DESC
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = buyerId is null ? DBNull.Value : Guid.Parse(buyerId), NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(Text(merchantId));
        command.Parameters.Add(Text(status));
        command.Parameters.Add(Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        return await PageAsync(command, limit);
    }

    /// <summary>Stuck orders, the longest waiting first.</summary>
    public async Task<OrderPage> StuckAsync(int limit)
    {
        await using var command = dataSource.CreateCommand("SELECT body::text FROM orders WHERE stuck ORDER BY updated_at LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        return await PageAsync(command, limit);
    }

    private static async Task<OrderPage> PageAsync(NpgsqlCommand command, int limit)
    {
        var orders = new List<OrderView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            orders.Add(JsonSerializer.Deserialize<OrderRecord>(reader.GetString(0), PaymentsJson.Options)!.View);
        }

        return new OrderPage(orders.Take(limit).ToList(), orders.Count > limit);
    }

    private static NpgsqlBatchCommand Event(string orderId, int sequence, OrderChange change, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand("INSERT INTO order_events (order_id, sequence, type, actor, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = orderId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sequence });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = change.Actor });
        command.Parameters.Add(Json(change.Data));
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = at.UtcDateTime });
        return command;
    }

    private static NpgsqlParameter Json(object value) => new() { Value = JsonSerializer.Serialize(value, PaymentsJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb };
}
