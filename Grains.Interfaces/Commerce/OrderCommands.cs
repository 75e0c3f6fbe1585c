using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces.Commerce;

/// <summary>A buyer (<c>UserId</c>) orders products of one merchant, paid from the wallet or with a card of their card wallet.</summary>
[GenerateSerializer, Immutable]
public sealed record PlaceOrderCommand(string UserId, IReadOnlyList<StockRequest> Items, OrderPaymentMethod PaymentMethod, string? ShippingAddress) : IdempotentCommand(UserId);
