using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Errors;

/// <summary>
/// The JSON error for a bare status code: what the framework answers by itself (no route: 404, a route without this
/// method: 405, an unreadable request: 400) or writes as ProblemDetails. No error leaves the API without a body.
/// </summary>
public static class StatusCodeErrors
{
    /// <summary>For <c>UseStatusCodePages</c>: runs only when nothing has written a body.</summary>
    public static Task WriteAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApiResults.WriteAsync(context.HttpContext, For(context.HttpContext.Response.StatusCode));
    }

    public static ApiError For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => new ApiError(ErrorCodes.ValidationError, "The request is malformed."),
        StatusCodes.Status401Unauthorized => ApiError.Unauthenticated(),
        StatusCodes.Status403Forbidden => ApiError.Forbidden(),
        StatusCodes.Status404NotFound => ApiError.NotFound("No such resource."),
        StatusCodes.Status405MethodNotAllowed => new ApiError(ApiErrorCodes.MethodNotAllowed, "This method is not allowed on this resource; see the Allow header.") { Status = status },
        StatusCodes.Status413PayloadTooLarge => ApiExceptionMiddleware.FromBadRequest(status),
        StatusCodes.Status415UnsupportedMediaType => ApiExceptionMiddleware.FromBadRequest(status),
        StatusCodes.Status429TooManyRequests => new ApiError(ErrorCodes.RateLimited, "Too many requests; slow down and retry.", Retryable: true),
        StatusCodes.Status503ServiceUnavailable => ApiError.ServiceUnavailable(),
        >= 400 and < 500 => new ApiError(ErrorCodes.ValidationError, "The request could not be processed.") { Status = status },
        _ => ApiError.Internal() with { Status = status is >= 500 and < 600 ? status : 500 },
    };
}
