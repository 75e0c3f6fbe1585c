using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.Reconciliation;

/// <summary>Reconciles bank statements against the payouts the project sent the bank, and keeps the reports (key: "default").</summary>
[Alias("reconciliation")]
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>Checks the statement's lines (already parsed by <see cref="BankStatement"/>) and stores the report.</summary>
    Task<ReconciliationReport> Reconcile(IReadOnlyList<BankStatementLine> lines);

    [ReadOnly]
    Task<Outcome<ReconciliationReport>> Get(string id);

    [ReadOnly]
    Task<Outcome<ReconciliationReportPage>> List(int limit, string? startingAfter);
}
