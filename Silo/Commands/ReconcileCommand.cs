using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Grains.Interfaces.Reconciliation;
using Payments.Grains.Reconciliation;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;

namespace Payments.Silo.Commands;

/// <summary>
/// <c>dotnet run --project Silo -- reconcile FILE</c>: reconciles a bank statement against the silo's database (the
/// configured one, or the embedded one, left running if a silo runs it), stores the report like the operator endpoint
/// does, and prints it as a table. Exit code 0 when everything matched, 3 when there are discrepancies, 2 when the
/// file cannot be read as a statement.
/// </summary>
public static class ReconcileCommand
{
    public const string Name = "reconcile";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, IConfiguration configuration, ILoggerFactory loggers, TextWriter output)
    {
        if (arguments.Count != 1)
        {
            await output.WriteLineAsync("usage: dotnet run --project Silo -- reconcile FILE");
            return 2;
        }

        byte[] body;
        try
        {
            body = await File.ReadAllBytesAsync(arguments[0]);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            await output.WriteLineAsync($"Cannot read {arguments[0]}: {error.Message}");
            return 2;
        }

        var (lines, problem) = BankStatement.Parse(body);
        if (problem is not null)
        {
            await output.WriteLineAsync($"{arguments[0]}: line {problem.Line}{(problem.Field is null ? string.Empty : $", {problem.Field}")}: {problem.Message}");
            return 2;
        }

        var logger = loggers.CreateLogger("Payments.Reconcile");
        var database = await PaymentsDatabase.OpenAsync(configuration, logger);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, logger);
            var service = new ReconciliationService(new ReconciliationStore(dataSource), TimeProvider.System, loggers.CreateLogger<ReconciliationService>());
            var report = await service.ReconcileAsync(lines);
            await PrintAsync(report, output);
            return report.Summary.Discrepancies == 0 ? 0 : 3;
        }
        finally
        {
            if (!database.WasRunning)
            {
                await database.DisposeAsync();
            }
        }
    }

    private static async Task PrintAsync(ReconciliationReport report, TextWriter output)
    {
        var summary = report.Summary;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Report {report.Id}: {report.StatementLines} lines from {report.PeriodStart:yyyy-MM-dd} to {report.PeriodEnd:yyyy-MM-dd}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"matched {summary.Matched}, missing_in_bank {summary.MissingInBank}, missing_internally {summary.MissingInternally}, amount_mismatch {summary.AmountMismatch}"));
        if (summary.Discrepancies == 0)
        {
            return;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"KIND",-19} {"REFERENCE",-40} {"OURS",14} {"BANK",14} CUR {"LINE",7}");
        foreach (var (kind, items) in report.DiscrepanciesByKind())
        {
            foreach (var item in items)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{kind,-19} {item.Reference,-40} {item.Amount?.ToString(CultureInfo.InvariantCulture) ?? "-",14} {item.BankAmount?.ToString(CultureInfo.InvariantCulture) ?? "-",14} {item.Currency} {item.Line?.ToString(CultureInfo.InvariantCulture) ?? "-",7}"));
            }
        }
    }
}
