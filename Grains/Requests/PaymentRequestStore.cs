using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Requests;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Requests;

/// <summary>The payment_requests table. State changes are conditional UPDATEs: the row decides who wins a race.</summary>
public sealed class PaymentRequestStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, requester, requestee, amount, currency, note, status, created_at, expires_at, transfer_id, updated_at";

    /// <summary>Inserts the request and its notification in one transaction (a request made without an idempotency key).</summary>
    public Task InsertAsync(PaymentRequestView request, OutboxMessage notification) =>
        TransactionalBatch.ExecuteAsync(dataSource, InsertCommands(request, notification));

    /// <summary>The request's row and its notification, to commit together (with the request's idempotency record when there is one).</summary>
    public static IReadOnlyList<NpgsqlBatchCommand> InsertCommands(PaymentRequestView request, OutboxMessage notification)
    {
        // An array, not an iterator: a null argument fails here, not when the batch is enumerated later.
        ArgumentNullException.ThrowIfNull(request);
        return
        [
            BatchCommands.Command(
                """
                INSERT INTO payment_requests (id, requester, requestee, amount, currency, note, status, created_at, expires_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
                """,
                new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Id) },
                new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Requester) },
                new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Requestee) },
                new NpgsqlParameter<long> { TypedValue = request.Amount },
                new NpgsqlParameter<string> { TypedValue = request.Currency },
                new NpgsqlParameter<string> { TypedValue = request.Note },
                new NpgsqlParameter<string> { TypedValue = request.Status },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = request.CreatedAt },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = request.ExpiresAt }),
            StreamOutbox.AppendCommand([notification]),
        ];
    }

    public async Task<PaymentRequestRow?> GetAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM payment_requests WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await ReadAsync(command);
    }

    /// <summary>
    /// Moves the request to <paramref name="to"/> if its status is one of <paramref name="from"/>; null if it was not.
    /// The optional notification is appended only when the move happened, in its transaction.
    /// </summary>
    public Task<PaymentRequestRow?> TransitionAsync(Guid id, string[] from, string to, DateTimeOffset now, Func<PaymentRequestView, OutboxMessage>? notification = null) =>
        WriteAsync(
            $"UPDATE payment_requests SET status = $3, updated_at = $4 WHERE id = $1 AND status = ANY ($2) RETURNING {Columns}",
            [
                new NpgsqlParameter<Guid> { TypedValue = id },
                new NpgsqlParameter<string[]> { TypedValue = from },
                new NpgsqlParameter<string> { TypedValue = to },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            ],
            notification);

    /// <summary>
    /// Paying → paid with the transfer that paid it (and its notification). Also answers the row when it is already
    /// paid by this very transfer (a second activation got there first, and notified); null otherwise.
    /// </summary>
    public async Task<PaymentRequestRow?> MarkPaidAsync(Guid id, Guid transferId, DateTimeOffset now, Func<PaymentRequestView, OutboxMessage> notification)
    {
        var paid = await WriteAsync(
            // From any state but paid: the transfer under the request's stamp committed, so the request is paid, even if a
            // second activation's refused send had put it back to pending (and it was closed since) meanwhile.
            $"UPDATE payment_requests SET status = 'paid', transfer_id = $2, updated_at = $3 WHERE id = $1 AND status <> 'paid' RETURNING {Columns}",
            [
                new NpgsqlParameter<Guid> { TypedValue = id },
                new NpgsqlParameter<Guid> { TypedValue = transferId },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
            ],
            notification);
        if (paid is not null)
        {
            return paid;
        }

        var current = await GetAsync(id);
        return current?.View.TransferId == transferId.ToString("D") ? current : null;
    }

    /// <summary>Newest first: the requests <paramref name="user"/> sent or received, optionally of one status.</summary>
    public async Task<PaymentRequestPage> ListAsync(Guid user, string role, string? status, int limit, Guid? startingAfter)
    {
        var party = role == PaymentRequestRole.Sent ? "requester" : "requestee";
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM payment_requests
            WHERE {party} = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id < $3)
            ORDER BY id DESC
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        command.Parameters.Add(BatchCommands.Text(status));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var rows = new List<PaymentRequestView>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Read(reader).View);
        }

        var (page, hasMore) = PageRows.Trim(rows, limit);
        return new PaymentRequestPage(page, hasMore);
    }

    /// <summary>Runs one statement returning at most one request row and, if it returned one, appends its notification in the same transaction.</summary>
    private async Task<PaymentRequestRow?> WriteAsync(string sql, NpgsqlParameter[] parameters, Func<PaymentRequestView, OutboxMessage>? notification)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        PaymentRequestRow? row;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddRange(parameters);
            row = await ReadAsync(command);
        }

        if (row is not null && notification is not null)
        {
            await StreamOutbox.AppendAsync(connection, transaction, [notification(row.View)]);
        }

        await transaction.CommitAsync();
        return row;
    }

    private static async Task<PaymentRequestRow?> ReadAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    private static PaymentRequestRow Read(NpgsqlDataReader reader) => new(
        new PaymentRequestView(
            reader.GetGuid(0).ToString("D"),
            reader.GetGuid(1).ToString("D"),
            reader.GetGuid(2).ToString("D"),
            reader.GetInt64(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            reader.GetFieldValue<DateTimeOffset>(8),
            reader.IsDBNull(9) ? null : reader.GetGuid(9).ToString("D")),
        reader.GetFieldValue<DateTimeOffset>(10));
}

/// <summary>A request row: what the API shows, and when its status last changed (how long it has been paying).</summary>
public sealed record PaymentRequestRow(PaymentRequestView View, DateTimeOffset UpdatedAt);
