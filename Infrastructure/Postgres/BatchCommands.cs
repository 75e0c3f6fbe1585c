using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>Statements of an <see cref="NpgsqlBatch"/>, with their parameters in one call.</summary>
public static class BatchCommands
{
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
