using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>
/// A user (<c>UserId</c>) adds a card to one of their devices. <c>Card</c> carries the number and CVC for the
/// network's one call; they are never serialized to JSON, so never into the request hash or a stored answer.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProvisionCardCommand(string UserId, string DeviceId, CardDetails Card, string CardholderName) : IdempotentCommand(UserId);

/// <summary>
/// A merchant payment's charge to a wallet card: the device's cryptogram over (token reference, ATC, amount, currency,
/// merchant), for the network to check. <c>IdempotencyKey</c> names the confirmation, so a retry is answered once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CardChargeRequest(string UserId, string PaymentId, string MerchantId, long Amount, string Currency, string Cryptogram, int Atc, string IdempotencyKey);

/// <summary>The network's answer to a charge: approved with a code, or declined with a decline code.</summary>
[GenerateSerializer, Immutable]
public sealed record CardChargeResult(bool Approved, string? AuthorizationCode, string? DeclineCode, CardView Card);
