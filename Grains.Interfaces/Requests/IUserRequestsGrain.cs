using Payments.Grains.Interfaces.Errors;
using Orleans;

namespace Payments.Grains.Interfaces.Requests;

/// <summary>The payment requests a user sent or received (key: user id); reads only, reentrant.</summary>
[Alias("user-requests")]
public interface IUserRequestsGrain : IGrainWithStringKey
{
    /// <summary>Newest first, optionally of one status; <paramref name="startingAfter"/> is the last id of the previous page.</summary>
    Task<Outcome<PaymentRequestPage>> List(string role, string? status, int limit, string? startingAfter);
}
