using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.MerchantPayments;

/// <summary>What every listing of payments checks, by a merchant or by a payer.</summary>
internal static class PaymentListArguments
{
    public static PaymentError? Check(int limit, string? status, string? startingAfter) =>
        PrefixedPage.Check(limit, status, PaymentStatus.All, startingAfter, PrefixedId.Payment, "payment");
}
