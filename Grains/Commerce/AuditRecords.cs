using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Commerce;

/// <summary>
/// The append-only audit log's insert, as a statement for the caller's batch: the record commits in the same
/// transaction as the change it records.
/// </summary>
internal static class AuditRecords
{
    public static NpgsqlBatchCommand Insert(string? merchantId, string actor, string action, string resourceType, string resourceId, object? oldValue, object? newValue, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO audit_log (merchant_id, actor, action, resource_type, resource_id, old_value, new_value, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(BatchCommands.Text(merchantId));
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceId });
        command.Parameters.Add(Json(oldValue));
        command.Parameters.Add(Json(newValue));
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = at.UtcDateTime });
        return command;
    }

    private static NpgsqlParameter Json(object? value) => new()
    {
        Value = value is null ? DBNull.Value : JsonSerializer.Serialize(value, PaymentsJson.Options),
        NpgsqlDbType = NpgsqlDbType.Jsonb,
    };
}
