using Microsoft.Extensions.DependencyInjection;
using Payments.Grains.Ledger;

namespace Payments.Silo.Hosting;

/// <summary>
/// Replaces Orleans' fatal error handler, which sleeps two seconds before it kills the process: a silo told it was
/// declared dead (it hung, and the cluster moved its grains elsewhere) fences its ledger writer first, so it commits
/// nothing more, then exits at once. The ledger's own check of this silo's membership row in every commit covers the
/// moments before the silo reads the table.
/// </summary>
internal sealed partial class FencingFatalErrorHandler(IServiceProvider services, ILogger<FencingFatalErrorHandler> logger) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        // Resolved here, not injected: Orleans builds its error handler before the grain factory the writer needs.
        services.GetRequiredService<LedgerWriter>().Fence();
        LogFatal(logger, exception, context ?? "(no context)");
        Serilog.Log.CloseAndFlush();
        Environment.FailFast($"Orleans fatal error: {context}", exception);
    }

    [LoggerMessage(1, LogLevel.Critical, "The silo stops at once: {Context}")]
    private static partial void LogFatal(ILogger logger, Exception? error, string context);
}
