namespace Payments.Grains.Interfaces.Reconciliation;

/// <summary>
/// A statement checked against what the project sent the bank: user withdrawals (their ledger transaction id) and
/// merchant payouts (<c>po_…</c>), confirmed by the bank within the statement's period (its first to its last date).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationReport(
    string Id,
    DateTimeOffset CreatedAt,
    DateOnly? PeriodStart,
    DateOnly? PeriodEnd,
    int StatementLines,
    ReconciliationSummary Summary,
    IReadOnlyList<ReconciliationItem> Matched,
    IReadOnlyList<ReconciliationItem> MissingInBank,
    IReadOnlyList<ReconciliationItem> MissingInternally,
    IReadOnlyList<ReconciliationItem> AmountMismatch)
{
    /// <summary>The three discrepancy lists with the names logs, metrics and the CLI give their kinds.</summary>
    public IEnumerable<(string Kind, IReadOnlyList<ReconciliationItem> Items)> DiscrepanciesByKind() =>
        [("missing_in_bank", MissingInBank), ("missing_internally", MissingInternally), ("amount_mismatch", AmountMismatch)];
}

[GenerateSerializer, Immutable]
public sealed record ReconciliationSummary(int Matched, int MissingInBank, int MissingInternally, int AmountMismatch)
{
    public int Discrepancies => MissingInBank + MissingInternally + AmountMismatch;
}

/// <summary>
/// One reference in a report. <c>Kind</c> is <c>withdrawal</c> or <c>merchant_payout</c> for ours, null for a bank line
/// we have no record of; <c>BankAmount</c> and <c>Line</c> come from the statement, <c>Amount</c> from our records.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationItem(
    string Reference,
    string? Kind,
    long? Amount,
    long? BankAmount,
    string Currency,
    DateOnly? BankDate,
    int? Line);

/// <summary>A stored report without its lists, for the listing.</summary>
[GenerateSerializer, Immutable]
public sealed record ReconciliationReportSummary(string Id, DateTimeOffset CreatedAt, DateOnly? PeriodStart, DateOnly? PeriodEnd, int StatementLines, ReconciliationSummary Summary);

[GenerateSerializer, Immutable]
public sealed record ReconciliationReportPage(IReadOnlyList<ReconciliationReportSummary> Data, bool HasMore);
