using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Reconciliation;

namespace Payments.Grains.Reconciliation;

/// <summary>Operators' reconciliations, run on any silo: the work is in the database and the grain keeps no state.</summary>
[StatelessWorker(1)]
[GrainType("reconciliation")]
public sealed class ReconciliationGrain(ReconciliationService reconciliation, ReconciliationStore store) : Grain, IReconciliationGrain
{
    public Task<ReconciliationReport> Reconcile(IReadOnlyList<BankStatementLine> lines) => reconciliation.ReconcileAsync(lines);

    public async Task<Outcome<ReconciliationReport>> Get(string id) =>
        PrefixedId.IsValid(id, PrefixedId.Reconciliation) && await store.LoadAsync(id) is { } report
            ? report
            : new PaymentError(ErrorCodes.NotFound, "No such reconciliation report.");

    public async Task<Outcome<ReconciliationReportPage>> List(int limit, string? startingAfter)
    {
        if (PrefixedPage.Check(limit, null, [], startingAfter, PrefixedId.Reconciliation, "report") is { } invalid)
        {
            return invalid;
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListAsync(limit, startingAfter), limit);
        return new ReconciliationReportPage(rows, hasMore);
    }
}
