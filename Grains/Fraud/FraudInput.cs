namespace Payments.Grains.Fraud;

/// <summary>What a payment's fraud score is computed from: who pays (card fingerprint or wallet user), from where, how much, to whom.</summary>
public sealed record FraudInput(
    string MerchantId,
    long Amount,
    string Currency,
    string? CardFingerprint,
    string? PayerUserId,
    string? ClientIp,
    string? Country,
    string? CustomerReference);
