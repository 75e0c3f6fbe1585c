using Npgsql;
using NpgsqlTypes;
using Orleans.Payments.Grains.Interfaces.Requests;

namespace Orleans.Payments.Grains.Requests;

/// <summary>The payment_requests table. State changes are conditional UPDATEs: the row decides who wins a race.</summary>
public sealed class PaymentRequestStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, requester, requestee, amount, currency, note, status, created_at, expires_at, transfer_id, updated_at";

    public async Task<PaymentRequestRow> InsertAsync(PaymentRequestView request)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO payment_requests (id, requester, requestee, amount, currency, note, status, created_at, expires_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Id) });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Requester) });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(request.Requestee) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = request.Amount });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Currency });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Note });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Status });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = request.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = request.ExpiresAt });
        return (await ReadAsync(command))!;
    }

    public async Task<PaymentRequestRow?> GetAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM payment_requests WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await ReadAsync(command);
    }

    /// <summary>Moves the request to <paramref name="to"/> if its status is one of <paramref name="from"/>; null if it was not.</summary>
    public async Task<PaymentRequestRow?> TransitionAsync(Guid id, string[] from, string to, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE payment_requests SET status = $3, updated_at = $4 WHERE id = $1 AND status = ANY ($2) RETURNING {Columns}");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = to });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await ReadAsync(command);
    }

    /// <summary>
    /// Paying → paid with the transfer that paid it. Also answers the row when it is already paid by this very
    /// transfer (a second activation got there first); null otherwise.
    /// </summary>
    public async Task<PaymentRequestRow?> MarkPaidAsync(Guid id, Guid transferId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            WITH updated AS (
                UPDATE payment_requests SET status = 'paid', transfer_id = $2, updated_at = $3
                WHERE id = $1 AND status = 'paying'
                RETURNING {Columns})
            SELECT {Columns} FROM updated
            UNION ALL
            SELECT {Columns} FROM payment_requests WHERE id = $1 AND transfer_id = $2 AND NOT EXISTS (SELECT 1 FROM updated)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await ReadAsync(command);
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
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
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
