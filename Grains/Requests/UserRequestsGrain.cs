using Payments.Infrastructure.Placement;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Requests;
using Orleans;

namespace Payments.Grains.Requests;

/// <summary>Lists one user's payment requests straight from the table (reads only, so reentrant).</summary>
[Reentrant]
[UserAffinityPlacement]
[GrainType("user-requests")]
public sealed class UserRequestsGrain(PaymentRequestStore store) : Grain, IUserRequestsGrain
{
    public async Task<Outcome<PaymentRequestPage>> List(string role, string? status, int limit, string? startingAfter)
    {
        if (!UserId.TryParse(this.GetPrimaryKeyString(), out var user))
        {
            return new PaymentError(ErrorCodes.NotFound, "No such user.");
        }

        if (!PaymentRequestRole.IsValid(role))
        {
            return PaymentError.Validation("role", "role is received or sent.");
        }

        if (status is not null && !PaymentRequestStatus.IsValid(status))
        {
            return PaymentError.Validation("status", "status is one of pending, paying, paid, declined, cancelled, expired.");
        }

        if (PageQuery.Check(limit, startingAfter, "startingAfter", "the id of a payment request") is { } invalid)
        {
            return invalid;
        }

        return await store.ListAsync(user.Value, role, status, limit, PageQuery.Cursor(startingAfter));
    }
}
