using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace Payments.Infrastructure.Hosting;

/// <summary>
/// Structured logs to the console through Serilog (Serilog.AspNetCore); levels come from the <c>Serilog</c>
/// configuration section. Silos and front ends share it.
/// </summary>
public static class SerilogSetup
{
    /// <summary>The header a caller may send (and every response carries) to correlate its request with the logs.</summary>
    public const string CorrelationHeader = "X-Correlation-Id";

    private const string OutputTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>A logger for what happens before the host is built (the embedded PostgreSQL's start), from the same settings.</summary>
    public static Serilog.Core.Logger CreateBootstrapLogger(IConfiguration configuration) => Configure(new LoggerConfiguration(), configuration).CreateLogger();

    /// <summary>Routes the host's logging through Serilog.</summary>
    public static WebApplicationBuilder AddPaymentsLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog((_, logger) => Configure(logger, builder.Configuration));
        return builder;
    }

    /// <summary>
    /// One log event per request with its correlation id (the caller's <see cref="CorrelationHeader"/>, else the
    /// request's trace identifier), echoed in the response. Requests that succeed quickly log at Debug, so a busy API
    /// does not spend its CPU on the console; errors and slow requests log at Warning and Error.
    /// </summary>
    public static WebApplication UsePaymentsRequestLogging(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            var supplied = context.Request.Headers[CorrelationHeader].ToString();
            var correlationId = supplied.Length is > 0 and <= 128 && supplied.All(char.IsAsciiLetterOrDigit) ? supplied : context.TraceIdentifier;
            context.Items[CorrelationHeader] = correlationId;
            context.Response.Headers[CorrelationHeader] = correlationId;
            return next(context);
        });
        app.UseSerilogRequestLogging(options =>
        {
            options.GetLevel = (context, elapsedMs, error) =>
                error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : elapsedMs > 1_000 ? LogEventLevel.Warning
                : LogEventLevel.Debug;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
                diagnostics.Set("CorrelationId", context.Items[CorrelationHeader] ?? context.TraceIdentifier);
        });
        return app;
    }

    private static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration) =>
        logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            // Orleans runs placement through a Polly pipeline that logs every attempt at Information.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: OutputTemplate);
}
