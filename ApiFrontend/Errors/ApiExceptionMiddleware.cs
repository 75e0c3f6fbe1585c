using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Orleans;

namespace Payments.ApiFrontend.Errors;

/// <summary>
/// The last line of defence: any exception becomes a JSON error. Unavailability of the cluster or the database is
/// 503 SERVICE_UNAVAILABLE marked retryable; malformed HTTP (e.g. a body over the limit) is its 4xx; everything
/// else is 500 INTERNAL_ERROR with a generic message, the details going to the log only.
/// </summary>
public sealed class ApiExceptionMiddleware(RequestDelegate next, ILogger<ApiExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception error) when (context.RequestAborted.IsCancellationRequested && error is OperationCanceledException or IOException)
        {
            // The client went away; there is no one to answer.
            logger.LogDebug(error, "Request {Method} {Path} aborted by the client", context.Request.Method, context.Request.Path);
        }
        catch (BadHttpRequestException error)
        {
            logger.LogInformation("Bad HTTP request {Method} {Path}: {Status}", context.Request.Method, context.Request.Path, error.StatusCode);
            await ApiResults.WriteAsync(context, FromBadRequest(error.StatusCode));
        }
        catch (Exception error) when (ConstraintViolation(error) is { } violation)
        {
            // Bad input that got past validation and was stopped by a CHECK: a 400 like any other, never a 500.
            logger.LogInformation("Request {Method} {Path} refused by a database constraint: {Constraint}", context.Request.Method, context.Request.Path, violation.Constraint);
            await ApiResults.WriteAsync(context, new ApiError(ErrorCodes.ValidationError, violation.Field is null ? "A value in the request is not allowed." : $"{violation.Field} has a value that is not allowed.", violation.Field));
        }
        catch (Exception error) when (IsRetryable(error))
        {
            logger.LogWarning(error, "Request {Method} {Path} failed with a retryable error", context.Request.Method, context.Request.Path);
            await ApiResults.WriteAsync(context, ApiError.ServiceUnavailable());
        }
        catch (Exception error)
        {
            logger.LogError(error, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ApiResults.WriteAsync(context, ApiError.Internal());
        }
    }

    /// <summary>Failures a client may retry (with the same idempotency key): a silo moving or overloaded, a call timing out, the database briefly away.</summary>
    public static bool IsRetryable(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // Orleans: a call that timed out (its outcome unknown), a silo gone or leaving, a message the runtime
                // refused (overloaded activation, gateway too busy, silo stopping).
                case TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException or LimitExceededException:
                case NpgsqlException { IsTransient: true }:
                case OperationCanceledException:
                    return true;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return IsRetryable(aggregate.InnerExceptions[0]);
            }
        }

        return false;
    }

    /// <summary>
    /// A CHECK violation (SQLSTATE 23514): from a grain, as the <see cref="ConstraintViolationException"/> the silo's
    /// call filter throws; from this process's own database calls, as Npgsql's exception.
    /// </summary>
    public static ConstraintViolationException? ConstraintViolation(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case ConstraintViolationException violation:
                    return violation;
                case PostgresException { SqlState: PostgresErrorCodes.CheckViolation } refused:
                    return new ConstraintViolationException(refused.ConstraintName ?? "unknown", ConstraintViolationException.FieldOf(refused.TableName, refused.ConstraintName));
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return ConstraintViolation(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    internal static ApiError FromBadRequest(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => new ApiError(ErrorCodes.RequestTooLarge, $"The request body exceeds {JsonBody.MaxBytes} bytes."),
        StatusCodes.Status415UnsupportedMediaType => new ApiError(ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."),
        StatusCodes.Status408RequestTimeout => new ApiError(ErrorCodes.ValidationError, "The request body was not received in time.") { Status = status },
        _ => new ApiError(ErrorCodes.ValidationError, "The request is malformed.") { Status = status is >= 400 and < 500 ? status : 400 },
    };
}
