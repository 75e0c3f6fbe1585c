using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.ApiFrontend.Errors;

/// <summary>Turns errors, outcomes and stored responses into HTTP responses in the API's one JSON shape.</summary>
public static class ApiResults
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static IResult Error(ApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ErrorResult(error);
    }

    public static IResult Error(PaymentError error) => Error(ApiError.From(error));

    /// <summary>200 with the value, or the outcome's error.</summary>
    public static IResult Ok<T>(Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Error is { } error ? Error(error) : Results.Json(outcome.Value, PaymentsJson.Options, JsonContentType, StatusCodes.Status200OK);
    }

    /// <summary>201 with the value, or the outcome's error.</summary>
    public static IResult Created<T>(Outcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Error is { } error ? Error(error) : Results.Json(outcome.Value, PaymentsJson.Options, JsonContentType, StatusCodes.Status201Created);
    }

    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, PaymentsJson.Options, JsonContentType, status);

    /// <summary>The status and body an idempotent command answered with, byte for byte (the body is already JSON).</summary>
    public static IResult Stored(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return string.IsNullOrEmpty(response.Body)
            ? Results.StatusCode(response.Status)
            : Results.Text(response.Body, "application/json", Encoding.UTF8, response.Status);
    }

    /// <summary>Writes an error directly (middleware, authentication handlers, rate limiter), unless the response has started.</summary>
    public static async Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = error.Status;
        context.Response.ContentType = JsonContentType;
        if (error.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (error.Retryable == true && !context.Response.Headers.ContainsKey("Retry-After"))
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, error, PaymentsJson.Options, context.RequestAborted);
    }

    private sealed class ErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error);
    }
}
