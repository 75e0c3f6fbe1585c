using Payments.Grains.Interfaces.Transfers;

namespace Payments.Grains.Interfaces.Requests;

/// <summary>The response to paying a request: the request (now paid), its transfer and the payer's balance after it.</summary>
[GenerateSerializer, Immutable]
public sealed record PayReceipt(PaymentRequestView Request, TransferView Transfer, long Balance);
