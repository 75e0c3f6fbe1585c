namespace Payments.Grains.Payouts;

/// <summary>A committed withdrawal's money, owed to the user's bank; <paramref name="TransactionId"/> is the bank call's idempotency key.</summary>
public sealed record PayoutRequest(string TransactionId, string UserId, long Amount, string Currency, DateTimeOffset RequestedAt);
