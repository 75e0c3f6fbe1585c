namespace Payments.Grains.Interfaces.Errors;

/// <summary>A business or validation failure: a stable code, a human message, and the offending field if any.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentError(string Code, string Message, string? Field = null)
{
    public int Status => ErrorCodes.StatusOf(Code);

    public bool Retryable => ErrorCodes.IsRetryable(Code);

    public static PaymentError Validation(string field, string message) => new(ErrorCodes.ValidationError, message, field);
}
