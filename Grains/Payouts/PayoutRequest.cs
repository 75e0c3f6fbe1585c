namespace Payments.Grains.Payouts;

/// <summary>
/// A committed withdrawal's money, owed to the user's bank, or to their debit card (<paramref name="CardId"/>) for an
/// instant cash-out; <paramref name="TransactionId"/> is the bank's or the network's idempotency key.
/// </summary>
public sealed record PayoutRequest(string TransactionId, string UserId, long Amount, string Currency, DateTimeOffset RequestedAt, string? CardId = null);
