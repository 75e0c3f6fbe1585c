using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Payments.Runtime.Activation;

namespace Orleans.Payments.Runtime.Hosting;

/// <summary>
/// Starts and stops the runtime with the host: a background loop expires overdue calls and collects idle
/// activations; stopping deactivates every activation (their OnDeactivateAsync writes what must survive).
/// </summary>
internal sealed partial class GrainRuntimeHostedService(
    ActivationCatalog catalog,
    GrainRuntimeStatus status,
    TimeProvider time,
    ILogger<GrainRuntimeHostedService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _maintenance;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _maintenance = Task.Run(() => MaintainAsync(_stopping.Token), CancellationToken.None);
        status.MarkStarted();
        LogStarted(logger, catalog.Options.CollectionAge, catalog.Options.CallTimeout);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        status.MarkStopping();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_maintenance is not null)
        {
            await _maintenance.ConfigureAwait(false);
        }

        await catalog.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task MaintainAsync(CancellationToken stopping)
    {
        var options = catalog.Options;
        using var timer = new PeriodicTimer(options.CallTimeoutCheckInterval, time);
        var nextCollection = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                catalog.ExpireCalls();
                if (time.GetElapsedTime(nextCollection) >= options.CollectionQuantum)
                {
                    nextCollection = time.GetTimestamp();
                    var collected = catalog.CollectIdle();
                    if (collected > 0)
                    {
                        LogCollected(logger, collected, catalog.Count);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Host is stopping.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Grain runtime started (collection age {CollectionAge}, call timeout {CallTimeout})")]
    private static partial void LogStarted(ILogger logger, TimeSpan collectionAge, TimeSpan callTimeout);

    [LoggerMessage(2, LogLevel.Debug, "Collecting {Collected} idle activations of {Total}")]
    private static partial void LogCollected(ILogger logger, int collected, int total);
}
