namespace Payments.Grains.Interfaces.Commerce;

/// <summary>
/// An order as its buyer and its merchant see it. Totals are integer minor units; each line's price is frozen at
/// order time. <c>Saga</c> is the log of the steps done and undone; <c>Failure</c> says why a failed order failed.
/// <c>Transactions</c>, the ledger transactions that moved the order's money, are read from the ledger when one order
/// is asked for, and are null in lists and in the order's stored state.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OrderView(
    string Id,
    string Merchant,
    string Buyer,
    string Status,
    IReadOnlyList<OrderLine> Lines,
    long Amount,
    string Currency,
    OrderPaymentMethod PaymentMethod,
    string? ShippingAddress,
    string? Payment,
    string? LicenseKey,
    OrderFailure? Failure,
    OrderStuck? Stuck,
    IReadOnlyList<SagaStep> Saga,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderTransaction>? Transactions = null);

/// <summary>A ledger transaction of the order's payment (its capture, each refund): the amount it moved from or to the buyer.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderTransaction(string Id, string Type, long Amount, string Currency, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record OrderLine(string Product, string Name, long UnitPrice, int Quantity, long Amount);

/// <summary><c>wallet</c>, or <c>card</c> with the id of a card of the buyer's card wallet.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderPaymentMethod(string Type, string? Card);

/// <summary>Why the order failed: an error code, its message, the step that failed, and the request field at fault, if any.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderFailure(string Code, string Message, string Step, string? Field = null);

/// <summary>A compensation that kept failing past its limit: the order waits for an operator.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderStuck(string Step, string Error, int Attempts, DateTimeOffset Since);

/// <summary>One step of the saga's log: done, undone (compensated) or failed, when, with its result.</summary>
[GenerateSerializer, Immutable]
public sealed record SagaStep(string Step, string Outcome, string? Detail, DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record OrderPage(IReadOnlyList<OrderView> Data, bool HasMore);

/// <summary>One change to an order; <c>Data</c> holds the fields it set, so the order can be rebuilt from its events.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderEventView(int Sequence, string Type, string Actor, System.Text.Json.JsonElement Data, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record OrderEventPage(IReadOnlyList<OrderEventView> Data, bool HasMore);

public static class OrderStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Fulfilled = "fulfilled";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All = [Pending, Paid, Fulfilled, Failed, Canceled, Refunded];

    public static bool IsFinal(string status) => status is Failed or Canceled or Refunded;
}

/// <summary>The saga's steps, forward and compensating.</summary>
public static class SagaSteps
{
    public const string Reserve = "reserve_stock";
    public const string Authorize = "authorize_payment";
    public const string Capture = "capture_payment";
    public const string Fulfil = "fulfil";
    public const string Sell = "sell_stock";
    public const string Void = "void_payment";
    public const string Refund = "refund_payment";
    public const string Release = "release_stock";
    public const string Revoke = "revoke_license";

    public static readonly IReadOnlyList<string> All = [Reserve, Authorize, Capture, Fulfil, Sell, Void, Refund, Release, Revoke];
}
