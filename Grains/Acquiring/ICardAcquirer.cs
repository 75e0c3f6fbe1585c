namespace Payments.Grains.Acquiring;

/// <summary>
/// The card acquirer: asks the card's network to authorize an amount. Calls carry an idempotency key, so a retried
/// authorization is answered with the first one's result and never authorizes twice. Captures, voids and refunds are
/// not calls here: a real acquirer learns of them from the daily clearing file, which this platform does not build.
/// </summary>
public interface ICardAcquirer
{
    /// <summary>Approved or declined; throws <see cref="AcquirerUnavailableException"/> when the outcome is unknown.</summary>
    Task<AcquirerDecision> AuthorizeAsync(CardAuthorization request, CancellationToken cancellationToken);
}

/// <summary>
/// What the acquirer needs for one authorization. The card number and CVC live only in this object, for this call:
/// <see cref="ToString"/> never shows them.
/// </summary>
public sealed class CardAuthorization(string idempotencyKey, string number, int expMonth, int expYear, string cvc, long amount, string currency)
{
    public string IdempotencyKey { get; } = idempotencyKey;
    public string Number { get; } = number;
    public int ExpMonth { get; } = expMonth;
    public int ExpYear { get; } = expYear;
    public string Cvc { get; } = cvc;
    public long Amount { get; } = amount;
    public string Currency { get; } = currency;

    public override string ToString() => $"authorization of {Amount} {Currency} ({IdempotencyKey})";
}

/// <summary>The network's answer: approved with an authorization code, or declined with a decline code.</summary>
public sealed record AcquirerDecision(bool Approved, string? AuthorizationCode, string? DeclineCode)
{
    public static AcquirerDecision Approve(string code) => new(true, code, null);

    public static AcquirerDecision Decline(string declineCode) => new(false, null, declineCode);
}

/// <summary>Decline codes (Stripe's): why a network refused.</summary>
public static class DeclineCodes
{
    public const string CardDeclined = "card_declined";
    public const string InsufficientFunds = "insufficient_funds";
    public const string ExpiredCard = "expired_card";

    /// <summary>The network failed to process the card: retrying may succeed.</summary>
    public const string ProcessingError = "processing_error";
}

/// <summary>The acquirer did not answer (timeout, outage, open circuit); retry with the same key.</summary>
public sealed class AcquirerUnavailableException(string message) : Exception(message);
