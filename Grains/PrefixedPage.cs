using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;

namespace Payments.Grains;

/// <summary>What a listing of prefixed-id items (payments, payouts) checks: the limit, the status filter and the cursor.</summary>
internal static class PrefixedPage
{
    public static PaymentError? Check(int limit, string? status, IReadOnlyList<string> statuses, string? startingAfter, string prefix, string itemName)
    {
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (status is not null && !statuses.Contains(status))
        {
            return PaymentError.Validation("status", $"status is one of {string.Join(", ", statuses)}.");
        }

        return startingAfter is not null && !PrefixedId.IsValid(startingAfter, prefix)
            ? PaymentError.Validation("startingAfter", $"startingAfter is the id of the last {itemName} of the previous page.")
            : null;
    }
}
