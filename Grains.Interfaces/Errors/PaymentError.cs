namespace Payments.Grains.Interfaces.Errors;

/// <summary>
/// A business or validation failure: a stable code, a human message, the offending field if any, and for refusals that
/// end at a known time (a sign-in delay or lock) the seconds until then, which the API sends as Retry-After.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentError(string Code, string Message, string? Field = null, int? RetryAfterSeconds = null)
{
    public int Status => ErrorCodes.StatusOf(Code);

    public bool Retryable => ErrorCodes.IsRetryable(Code);

    public static PaymentError Validation(string field, string message) => new(ErrorCodes.ValidationError, message, field);
}
