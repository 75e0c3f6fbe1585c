namespace Payments.Grains.Interfaces.Requests;

/// <summary>
/// A payment request as the API shows it to its two parties. <c>Requester</c> and <c>Requestee</c> are user ids;
/// <c>TransferId</c> is set once the request is paid.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentRequestView(
    string Id,
    string Requester,
    string Requestee,
    long Amount,
    string Currency,
    string Note,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? TransferId);

/// <summary>Newest first; <c>HasMore</c> says whether a page follows the last entry's id.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentRequestPage(IReadOnlyList<PaymentRequestView> Data, bool HasMore);

public static class PaymentRequestStatus
{
    public const string Pending = "pending";

    /// <summary>The requestee's transfer is in flight (one grain turn, or until the settle reminder finishes it after a crash).</summary>
    public const string Paying = "paying";

    public const string Paid = "paid";
    public const string Declined = "declined";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";

    public static bool IsValid(string? value) => value is Pending or Paying or Paid or Declined or Cancelled or Expired;
}

/// <summary>Which side of a request the caller is on, for listing.</summary>
public static class PaymentRequestRole
{
    public const string Received = "received";
    public const string Sent = "sent";

    public static bool IsValid(string? value) => value is Received or Sent;
}
