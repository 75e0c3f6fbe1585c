using Npgsql;
using NpgsqlTypes;

namespace Payments.Infrastructure.Postgres;

/// <summary>Statements of an <see cref="NpgsqlBatch"/>, with their parameters in one call, and the parameters they share.</summary>
public static class BatchCommands
{
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>An array parameter of <paramref name="values"/>, for <c>unnest</c> over a batch's rows.</summary>
    public static NpgsqlParameter<T[]> ArrayOf<T>(IEnumerable<T> values) => new() { TypedValue = [.. values] };

    /// <summary>A text parameter whose null is SQL NULL.</summary>
    public static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
