namespace Payments.Grains.Interfaces.Requests;

/// <summary>The idempotency scope of the transfers that pay requests. Client keys are scoped by user id, so no client key can collide with it.</summary>
public static class PaymentRequestIdempotency
{
    public const string Scope = "payment-request";
}
