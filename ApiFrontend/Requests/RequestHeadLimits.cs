using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// The API's limits on a request's target (path and query) and headers, answered with the JSON error every other bad
/// request gets. Kestrel answers a request over its own limits itself, with an empty body, before any middleware
/// runs; so Kestrel's limits are set to twice these, and a request between the two (a long filter, a cookie jar
/// grown too large) gets a 414 or 431 that says which limit it crossed.
/// </summary>
public sealed class RequestHeadLimits(RequestDelegate next)
{
    /// <summary>The request target, path and query as sent (Kestrel's default request line limit, less the method and version).</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>All header names and values together (Kestrel's default).</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Headers (Kestrel's default).</summary>
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's own limits: twice the API's, so that the API's are the ones clients meet.</summary>
    public static void ConfigureKestrel(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = 2 * MaxTargetBytes;
        limits.MaxRequestHeadersTotalSize = 2 * MaxHeaderBytes;
        limits.MaxRequestHeaderCount = 2 * MaxHeaderCount;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target.Length > MaxTargetBytes)
        {
            return ApiResults.WriteAsync(context, new ApiError(ErrorCodes.RequestTooLarge, $"The request's path and query exceed {MaxTargetBytes} bytes.") { Status = StatusCodes.Status414UriTooLong });
        }

        var headers = context.Request.Headers;
        var bytes = 0L;
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        return headers.Count > MaxHeaderCount || bytes > MaxHeaderBytes
            ? ApiResults.WriteAsync(context, new ApiError(ErrorCodes.RequestTooLarge, $"The request's headers exceed {MaxHeaderCount} headers or {MaxHeaderBytes} bytes together.") { Status = StatusCodes.Status431RequestHeaderFieldsTooLarge })
            : next(context);
    }
}
