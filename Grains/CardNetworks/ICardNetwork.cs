namespace Payments.Grains.CardNetworks;

/// <summary>
/// A card network's token service (Visa's VTS, Mastercard's MDES…): it turns a card into a device-bound token,
/// verifies the holder, changes the token's status, and authorizes in-app payments by their cryptograms.
/// Provisioning and charges carry an idempotency key, so a retry is answered with the first answer; status changes
/// are idempotent by nature; verification is not, and is never retried.
/// </summary>
public interface ICardNetwork
{
    /// <summary>The network's name: visa, mastercard, amex, discover.</summary>
    string Name { get; }

    Task<ProvisioningAnswer> ProvisionAsync(ProvisioningRequest request, CancellationToken cancellationToken);

    /// <summary>Whether the code is the one the network sent; a right code activates the token.</summary>
    Task<bool> VerifyAsync(string tokenReference, string method, string code, CancellationToken cancellationToken);

    /// <summary>Suspends, resumes or deletes the token; throws <see cref="NetworkRefusedException"/> when the network will not.</summary>
    Task<bool> ChangeAsync(string tokenReference, TokenChange change, CancellationToken cancellationToken);

    Task<TokenChargeAnswer> ChargeAsync(TokenCharge request, CancellationToken cancellationToken);

    /// <summary>A funding pull by the wallet (the token requestor) from one of its holder's tokens: no device cryptogram, keyed.</summary>
    Task<TokenChargeAnswer> PullAsync(TokenFunds request, CancellationToken cancellationToken);

    /// <summary>A push of money to a debit card's token (an instant cash-out), keyed.</summary>
    Task<TokenChargeAnswer> PushAsync(TokenFunds request, CancellationToken cancellationToken);
}

/// <summary>Money the wallet moves from or to one of its holder's tokens, keyed by the operation it belongs to.</summary>
public sealed record TokenFunds(string IdempotencyKey, string TokenReference, long Amount, string Currency);

/// <summary>
/// What provisioning sends: the card number and CVC live only in this object, for this call; <see cref="ToString"/>
/// never shows them.
/// </summary>
public sealed class ProvisioningRequest(string idempotencyKey, string number, int expMonth, int expYear, string cvc, string cardholderName, string deviceId)
{
    public string IdempotencyKey { get; } = idempotencyKey;
    public string Number { get; } = number;
    public int ExpMonth { get; } = expMonth;
    public int ExpYear { get; } = expYear;
    public string Cvc { get; } = cvc;
    public string CardholderName { get; } = cardholderName;
    public string DeviceId { get; } = deviceId;

    public override string ToString() => $"provisioning for device {DeviceId} ({IdempotencyKey})";
}

/// <summary>The network's answer: <c>active</c>, <c>pending_verification</c> (a code was sent) or <c>declined</c>.</summary>
public sealed record ProvisioningAnswer(string Status, string? TokenReference, string Kind, string Art, string? DeclineReason)
{
    public const string Active = "active";
    public const string PendingVerification = "pending_verification";
    public const string Declined = "declined";
}

public enum TokenChange
{
    Suspend,
    Resume,
    Delete,
}

/// <summary>An in-app payment's authorization by token: the device's cryptogram and ATC, and what it signed.</summary>
public sealed record TokenCharge(string IdempotencyKey, string TokenReference, string Cryptogram, int Atc, long Amount, string Currency, string MerchantId);

/// <summary>Approved with an authorization code, or declined (invalid_cryptogram, replayed_cryptogram, token_inactive).</summary>
public sealed record TokenChargeAnswer(bool Approved, string? AuthorizationCode, string? DeclineCode);

/// <summary>The network did not answer (timeout, outage, open circuit): nothing is known to have changed.</summary>
public sealed class NetworkUnavailableException(string message) : Exception(message);

/// <summary>The network answered and refused the change (e.g. an unknown or deleted token).</summary>
public sealed class NetworkRefusedException(string message) : Exception(message);
