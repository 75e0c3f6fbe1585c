using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Errors;

/// <summary>
/// Every grain call on this silo: a PostgreSQL CHECK violation (SQLSTATE 23514) leaves the grain as a
/// <see cref="ConstraintViolationException"/>, which Orleans serializes as itself, so the API answers 400
/// VALIDATION_ERROR. Npgsql's <see cref="PostgresException"/> is not a type Orleans carries to a client: it would
/// arrive as a generic fallback exception and become a 500.
/// </summary>
public sealed partial class ConstraintViolationFilter(ILogger<ConstraintViolationFilter> logger) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? call : AwaitAsync(call, context);
    }

    private async Task AwaitAsync(Task call, IIncomingGrainCallContext context)
    {
        try
        {
            await call;
        }
        catch (PostgresException refused) when (refused.SqlState == PostgresErrorCodes.CheckViolation)
        {
            LogRefused(logger, context.InterfaceMethod?.Name ?? "?", refused.ConstraintName ?? "?");
            throw new ConstraintViolationException(refused.ConstraintName ?? "unknown", ConstraintViolationException.FieldOf(refused.TableName, refused.ConstraintName));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "{Method} refused by the database constraint {Constraint}; answered as a validation error")]
    private static partial void LogRefused(ILogger logger, string method, string constraint);
}
