using Orleans;
using Orleans.Concurrency;

namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// Voids a merchant's authorizations that expire uncaptured (key: the merchant id). One durable reminder per merchant
/// with authorizations outstanding sweeps them, instead of one reminder per payment: a busy merchant's payments
/// would otherwise cost two reminder-table writes each.
/// </summary>
[Alias("authorization-expiry")]
public interface IAuthorizationExpiryGrain : IGrainWithStringKey
{
    /// <summary>
    /// A payment of this merchant is authorized: the sweep runs until none is left. Cheap after the first call. One-way:
    /// the authorization is committed already, and a lost call costs nothing the next one (or the payment's next
    /// activation) does not repair, so no answer is worth its message.
    /// </summary>
    [AlwaysInterleave]
    [OneWay]
    Task Track();
}
