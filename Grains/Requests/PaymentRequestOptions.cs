namespace Payments.Grains.Requests;

/// <summary>Payment request rules (section <c>Payments:Requests</c>).</summary>
public sealed class PaymentRequestOptions
{
    public const string SectionName = "Payments:Requests";

    /// <summary>How long a request stays pending before it expires. Default 30 days.</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How often a payment interrupted mid-flight (a crash between sending and marking the request paid) is retried
    /// with the same idempotency stamp. Default one minute.
    /// </summary>
    public TimeSpan SettleRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
