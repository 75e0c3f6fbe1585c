using System.Text.Json.Serialization;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Errors;

/// <summary>
/// The one error body of the API: <c>{code, message, field?, retryable?, retryAfter?, line?}</c> (nulls omitted).
/// <c>line</c> is the line of a text body (a bank statement) the error is on.
/// <c>retryAfter</c> (seconds, also sent as the Retry-After header) is set on refusals that end at a known time.
/// <see cref="Status"/> is the HTTP status it is written with; it is not part of the body.
/// </summary>
public sealed record ApiError(
    string Code,
    string Message,
    string? Field = null,
    bool? Retryable = null,
    int? RetryAfter = null,
    int? Line = null)
{
    /// <summary>The HTTP status; by default the one <see cref="ErrorCodes.StatusOf"/> gives the code.</summary>
    [JsonIgnore]
    public int Status { get; init; } = ErrorCodes.StatusOf(Code);

    public static ApiError From(PaymentError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ApiError(error.Code, error.Message, error.Field, error.Retryable ? true : null, error.RetryAfterSeconds) { Status = error.Status };
    }

    public static ApiError Validation(string field, string message) => new(ErrorCodes.ValidationError, message, field);

    public static ApiError InvalidAmount(string message) => new(ErrorCodes.InvalidAmount, message, "amount");

    /// <summary>A <c>currency</c> (in a body or a filter) that is no known ISO 4217 code in upper case.</summary>
    public static ApiError UnknownCurrency() => new(ErrorCodes.InvalidCurrency, "currency must be a known ISO 4217 code in upper case, e.g. USD.", "currency");

    public static ApiError NotFound(string message = "Not found.") => new(ErrorCodes.NotFound, message);

    public static ApiError Unauthenticated(string message = "A valid bearer token is required.") => new(ErrorCodes.Unauthenticated, message);

    public static ApiError Forbidden(string message = "You are not allowed to do this.") => new(ErrorCodes.Forbidden, message);

    public static ApiError ServiceUnavailable(string message = "The service is temporarily unavailable; retry shortly (a payment with the same Idempotency-Key).") =>
        new(ErrorCodes.ServiceUnavailable, message, Retryable: true);

    public static ApiError Internal() => new(ErrorCodes.InternalError, "An internal error occurred.");
}

/// <summary>Codes the front end adds to <see cref="ErrorCodes"/> for HTTP-level failures the grains never produce.</summary>
public static class ApiErrorCodes
{
    /// <summary>405: the path exists but not with this method (written with an <c>Allow</c> header by routing).</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
}
