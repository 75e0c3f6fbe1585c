using Microsoft.Extensions.Logging;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Reconciliation;

namespace Payments.Grains.Reconciliation;

/// <summary>Runs a reconciliation: reads our records for the statement, compares, logs and counts what differs, stores the report.</summary>
public sealed partial class ReconciliationService(ReconciliationStore store, TimeProvider time, ILogger<ReconciliationService> logger)
{
    // Every discrepancy is in the report; the log names the first ones and counts the rest.
    private const int MaxLoggedDiscrepancies = 100;

    public async Task<ReconciliationReport> ReconcileAsync(IReadOnlyList<BankStatementLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count > BankStatement.MaxLines)
        {
            throw new ArgumentException($"A statement has at most {BankStatement.MaxLines} lines.", nameof(lines));
        }

        var referenced = await store.ReferencedAsync([.. lines.Select(line => Reconciler.Normalize(line.Reference)).Distinct(StringComparer.Ordinal)]);
        var confirmed = lines.Count == 0 ? [] : await store.ConfirmedAsync(lines.Min(line => line.Date), lines.Max(line => line.Date));
        var report = Reconciler.Compare(PrefixedId.New(PrefixedId.Reconciliation), DatabaseTime.Now(time), lines, referenced, confirmed);
        await store.SaveAsync(report);
        Record(report);
        return report;
    }

    private void Record(ReconciliationReport report)
    {
        ReconciliationMetrics.Reports.Add(1);
        var logged = 0;
        foreach (var (kind, items) in report.DiscrepanciesByKind())
        {
            ReconciliationMetrics.Discrepancies.Add(items.Count, new KeyValuePair<string, object?>("kind", kind));
            foreach (var item in items.Take(MaxLoggedDiscrepancies - logged))
            {
                LogDiscrepancy(logger, report.Id, kind, item.Reference, item.Amount, item.BankAmount, item.Currency, item.Line);
                logged++;
            }
        }

        LogReconciled(logger, report.Id, report.StatementLines, report.Summary.Matched, report.Summary.MissingInBank, report.Summary.MissingInternally, report.Summary.AmountMismatch);
    }

    [LoggerMessage(1, LogLevel.Warning, "Reconciliation {ReportId}: {Kind} {Reference}, ours {Amount}, bank {BankAmount} {Currency} (statement line {Line})")]
    private static partial void LogDiscrepancy(ILogger logger, string reportId, string kind, string reference, long? amount, long? bankAmount, string currency, int? line);

    [LoggerMessage(2, LogLevel.Information, "Reconciliation {ReportId} of {Lines} lines: {Matched} matched, {MissingInBank} missing in the bank, {MissingInternally} missing internally, {AmountMismatch} amount mismatches")]
    private static partial void LogReconciled(ILogger logger, string reportId, int lines, int matched, int missingInBank, int missingInternally, int amountMismatch);
}
