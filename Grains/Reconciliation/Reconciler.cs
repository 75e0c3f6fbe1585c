using Payments.Grains.Interfaces.Reconciliation;

namespace Payments.Grains.Reconciliation;

/// <summary>
/// Compares a statement with our records. A bank line whose reference we sent and did not take back (a failed payout
/// returned its money) is matched when amount and currency agree, and an amount mismatch otherwise; any other bank
/// line, or a reference listed a second time, is missing internally. Each of our payouts the bank confirmed within the
/// statement's period that no line lists is missing in the bank.
/// </summary>
public static class Reconciler
{
    public static ReconciliationReport Compare(
        string id,
        DateTimeOffset createdAt,
        IReadOnlyList<BankStatementLine> lines,
        IReadOnlyDictionary<string, PayoutRecord> referenced,
        IReadOnlyList<PayoutRecord> confirmedInPeriod)
    {
        var matched = new List<ReconciliationItem>();
        var missingInternally = new List<ReconciliationItem>();
        var mismatched = new List<ReconciliationItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var reference = Normalize(line.Reference);
            var bankSide = new ReconciliationItem(reference, null, null, line.Amount, line.Currency, line.Date, line.Line);
            if (!seen.Add(reference) || !referenced.TryGetValue(reference, out var ours) || ours.Status == "failed")
            {
                missingInternally.Add(bankSide);
                continue;
            }

            var item = bankSide with { Kind = ours.Kind, Amount = ours.Amount };
            (ours.Amount == line.Amount && ours.Currency == line.Currency ? matched : mismatched).Add(item);
        }

        var missingInBank = confirmedInPeriod
            .Where(record => !seen.Contains(record.Reference))
            .Select(record => new ReconciliationItem(record.Reference, record.Kind, record.Amount, null, record.Currency, null, null))
            .ToList();
        var dates = lines.Select(line => line.Date).ToList();
        return new ReconciliationReport(
            id,
            createdAt,
            dates.Count == 0 ? null : dates.Min(),
            dates.Count == 0 ? null : dates.Max(),
            lines.Count,
            new ReconciliationSummary(matched.Count, missingInBank.Count, missingInternally.Count, mismatched.Count),
            matched,
            missingInBank,
            missingInternally,
            mismatched);
    }

    /// <summary>A reference as we send it: withdrawal ids are UUIDs in their canonical lowercase form.</summary>
    public static string Normalize(string reference) =>
        Guid.TryParse(reference, out var uuid) ? uuid.ToString() : reference;
}
