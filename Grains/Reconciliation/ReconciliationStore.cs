using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Reconciliation;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Reconciliation;

/// <summary>What the project sent the bank (<c>payouts</c>, <c>merchant_payouts</c>), and the <c>reconciliation_reports</c> table.</summary>
public sealed class ReconciliationStore(NpgsqlDataSource dataSource)
{
    /// <summary>Our payouts with these references, whatever their status.</summary>
    public async Task<Dictionary<string, PayoutRecord>> ReferencedAsync(IReadOnlyCollection<string> references)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT transaction_id::text, '{PayoutRecord.Withdrawal}', amount, currency, status FROM payouts WHERE transaction_id = ANY($1)
            UNION ALL
            SELECT id, '{PayoutRecord.MerchantPayout}', amount, currency, status FROM merchant_payouts WHERE id = ANY($2)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. references.Select(reference => Guid.TryParse(reference, out var id) ? id : (Guid?)null).OfType<Guid>()] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. references] });
        var records = new Dictionary<string, PayoutRecord>(StringComparer.Ordinal);
        foreach (var record in await ReadAsync(command))
        {
            records[record.Reference] = record;
        }

        return records;
    }

    /// <summary>Our payouts the bank confirmed from the start of <paramref name="first"/> to the end of <paramref name="last"/> (UTC).</summary>
    public async Task<List<PayoutRecord>> ConfirmedAsync(DateOnly first, DateOnly last)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT transaction_id::text, '{PayoutRecord.Withdrawal}', amount, currency, status FROM payouts WHERE status = 'paid' AND paid_at >= $1 AND paid_at < $2
            UNION ALL
            SELECT id, '{PayoutRecord.MerchantPayout}', amount, currency, status FROM merchant_payouts WHERE status = 'paid' AND paid_at >= $1 AND paid_at < $2
            ORDER BY 1
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) });
        return await ReadAsync(command);
    }

    public async Task SaveAsync(ReconciliationReport report)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO reconciliation_reports (id, statement_lines, period_start, period_end, matched, discrepancies, report, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = report.Id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = report.StatementLines });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)report.PeriodStart ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)report.PeriodEnd ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = report.Summary.Matched });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = report.Summary.Discrepancies });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(report, PaymentsJson.Options) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = report.CreatedAt.UtcDateTime });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<ReconciliationReport?> LoadAsync(string id)
    {
        await using var command = dataSource.CreateCommand("SELECT report FROM reconciliation_reports WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await command.ExecuteScalarAsync() is string json ? JsonSerializer.Deserialize<ReconciliationReport>(json, PaymentsJson.Options) : null;
    }

    /// <summary>Reports newest first, without their lists; one row more than the limit says whether more follow.</summary>
    public async Task<List<ReconciliationReportSummary>> ListAsync(int limit, string? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, created_at, period_start, period_end, statement_lines, report -> 'summary' FROM reconciliation_reports
            WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2
            """);
        command.Parameters.Add(BatchCommands.Text(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var reports = new List<ReconciliationReportSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            reports.Add(new ReconciliationReportSummary(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateOnly>(3),
                reader.GetInt32(4),
                JsonSerializer.Deserialize<ReconciliationSummary>(reader.GetString(5), PaymentsJson.Options)!));
        }

        return reports;
    }

    private static async Task<List<PayoutRecord>> ReadAsync(NpgsqlCommand command)
    {
        var records = new List<PayoutRecord>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            records.Add(new PayoutRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3).TrimEnd(), reader.GetString(4)));
        }

        return records;
    }
}
