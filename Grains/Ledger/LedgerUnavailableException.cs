namespace Payments.Grains.Ledger;

/// <summary>
/// The database failed while a batch was being committed; whether it committed is unknown. Callers resynchronize
/// from the database; clients retry with the same idempotency key and get the real outcome.
/// </summary>
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
