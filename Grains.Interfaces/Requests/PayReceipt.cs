using Orleans.Payments.Grains.Interfaces.Transfers;

namespace Orleans.Payments.Grains.Interfaces.Requests;

/// <summary>The response to paying a request: the request (now paid), its transfer and the payer's balance after it.</summary>
public sealed record PayReceipt(PaymentRequestView Request, TransferView Transfer, long Balance);
