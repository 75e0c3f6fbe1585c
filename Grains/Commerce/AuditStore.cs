using System.Text.Json;
using Npgsql;
using Payments.Grains.Interfaces.Commerce;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Commerce;

/// <summary>Reads of the audit log, newest first by id.</summary>
public sealed class AuditStore(NpgsqlDataSource dataSource)
{
    public async Task<AuditPage> ListAsync(string? merchantId, string? resourceId, int limit, long? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, merchant_id, actor, action, resource_type, resource_id, old_value::text, new_value::text, created_at
            FROM audit_log
            WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR resource_id = $2) AND ($3::bigint IS NULL OR id < $3)
            ORDER BY id DESC
            LIMIT $4
            """);
        command.Parameters.Add(BatchCommands.Text(merchantId));
        command.Parameters.Add(BatchCommands.Text(resourceId));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var records = new List<AuditRecordView>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new AuditRecordView(
                reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : JsonColumn.Read(reader.GetString(6)),
                reader.IsDBNull(7) ? null : JsonColumn.Read(reader.GetString(7)),
                new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero)));
        }

        return new AuditPage(records.Take(limit).ToList(), records.Count > limit);
    }
}
