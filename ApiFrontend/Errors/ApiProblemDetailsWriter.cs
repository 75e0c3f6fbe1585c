using Microsoft.AspNetCore.Http;

namespace Payments.ApiFrontend.Errors;

/// <summary>
/// Replaces ProblemDetails: whatever the framework would answer as <c>application/problem+json</c> is written in the
/// API's error shape instead, from the status alone (ProblemDetails texts may carry exception details).
/// </summary>
public sealed class ApiProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var error = StatusCodeErrors.For(status is >= 400 and < 600 ? status : 500);
        return new ValueTask(ApiResults.WriteAsync(http, error));
    }
}
