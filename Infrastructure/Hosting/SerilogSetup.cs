using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Payments.Infrastructure.Hosting;

/// <summary>Structured logs to the console through Serilog; levels come from the <c>Serilog</c> configuration section.</summary>
public static class SerilogSetup
{
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration) =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();

    public static ILoggingBuilder UseSerilog(this ILoggingBuilder logging, Serilog.ILogger logger)
    {
        logging.ClearProviders();
        return logging.AddSerilog(logger, dispose: false);
    }
}
