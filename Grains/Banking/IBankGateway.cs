namespace Payments.Grains.Banking;

/// <summary>
/// The user's linked bank account. Calls carry the idempotency key, so a retried deposit or payout is not repeated
/// at the bank (as real bank and card APIs do).
/// </summary>
public interface IBankGateway
{
    /// <summary>Pulls money from the user's bank into the platform's bank account; throws <see cref="BankUnavailableException"/> on failure.</summary>
    Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Pays money out to the bank account of <paramref name="destination"/> (a user or a merchant id).</summary>
    Task PayOutAsync(string destination, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>The bank did not answer or refused for a transient reason; retry with the same key.</summary>
public sealed class BankUnavailableException(string message) : Exception(message);

/// <summary>The bank refused for good (<paramref name="Code"/>, e.g. <c>account_closed</c>): retrying with the same key changes nothing.</summary>
public sealed class BankRejectedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
