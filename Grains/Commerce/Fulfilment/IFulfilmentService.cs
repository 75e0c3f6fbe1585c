using Payments.Grains.Interfaces.Commerce;

namespace Payments.Grains.Commerce.Fulfilment;

/// <summary>
/// Delivers an order's digital products: a license key per order. Idempotent by order id: a repeated delivery returns
/// the same key, a repeated revocation changes nothing.
/// </summary>
public interface IFulfilmentService
{
    /// <summary>The order's license key; throws <see cref="FulfilmentUnavailableException"/> when the service does not deliver.</summary>
    Task<string> DeliverAsync(string orderId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken);

    Task RevokeAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>The fulfilment service did not answer or failed: the step is retried, with the same order id.</summary>
public sealed class FulfilmentUnavailableException : Exception
{
    public FulfilmentUnavailableException()
    {
    }

    public FulfilmentUnavailableException(string message) : base(message)
    {
    }

    public FulfilmentUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
