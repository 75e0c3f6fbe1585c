using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;

namespace Payments.Grains.MerchantPayments;

/// <summary>What every listing of payments checks, by a merchant or by a payer.</summary>
internal static class PaymentListArguments
{
    public static PaymentError? Check(int limit, string? status, string? startingAfter)
    {
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (status is not null && !PaymentStatus.All.Contains(status))
        {
            return PaymentError.Validation("status", $"status is one of {string.Join(", ", PaymentStatus.All)}.");
        }

        return startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.Payment)
            ? PaymentError.Validation("startingAfter", "startingAfter is the id of the last payment of the previous page.")
            : null;
    }
}
