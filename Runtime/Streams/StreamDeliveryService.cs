using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Payments.Runtime.Diagnostics;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// A silo's side of stream delivery: holds partition leases on a dedicated connection (so exactly one silo pumps a
/// partition at a time), runs a pump per leased partition, and wakes the pumps on the outbox's notifications.
/// In a cluster a silo takes at most its fair share of partitions (over the silos holding lease connections, so
/// silos that do not deliver are not counted; it gives back extras when silos join), so delivery spreads out; a
/// partition whose silo died is taken over at the next lease check.
/// </summary>
internal sealed partial class StreamDeliveryService(
    NpgsqlDataSource dataSource,
    StreamLog log,
    StreamDeliverer deliverer,
    StreamConsumers consumers,
    IOptions<StreamOptions> options,
    ILogger<StreamDeliveryService> logger) : BackgroundService
{
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<int, StreamPartitionPump> _pumps = [];
    private volatile StreamPartitionPump[] _awake = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Deliver)
        {
            LogNotDelivering(logger);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leases = await StreamPartitionLeases.OpenAsync(dataSource, WakeAll, stoppingToken).ConfigureAwait(false);
                try
                {
                    await HoldLeasesAsync(leases, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    // Stop delivering before the locks go (disposing the connection releases them).
                    await StopPumpsAsync(_pumps.Keys.ToList()).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException or System.IO.IOException or InvalidOperationException)
            {
                LogLeaseConnectionLost(logger, error);
                await Task.Delay(s_reconnectDelay, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HoldLeasesAsync(StreamPartitionLeases leases, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            await BalanceAsync(leases, settings, stoppingToken).ConfigureAwait(false);

            // Notifications arrive (and wake the pumps) while waiting; a broken connection throws here and the pumps stop.
            var nextCheck = Stopwatch.GetTimestamp() + (long)(settings.LeaseCheckInterval.TotalSeconds * Stopwatch.Frequency);
            for (var remaining = settings.LeaseCheckInterval; remaining > TimeSpan.Zero; remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextCheck))
            {
                await leases.WaitAsync(remaining, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes free partitions up to this silo's fair share and gives back what is above it.</summary>
    private async Task BalanceAsync(StreamPartitionLeases leases, StreamOptions settings, CancellationToken stoppingToken)
    {
        var share = FairShare(settings.Partitions, await leases.CountHoldersAsync(stoppingToken).ConfigureAwait(false));
        for (var partition = 0; partition < settings.Partitions && _pumps.Count < share; partition++)
        {
            if (!_pumps.ContainsKey(partition) && await leases.TryAcquireAsync(partition, stoppingToken).ConfigureAwait(false))
            {
                _pumps[partition] = new StreamPartitionPump(partition, log, deliverer, consumers.All, settings, logger);
                RuntimeMetrics.StreamPartitionsOwned.Add(1);
                LogPartitionAcquired(logger, partition);
            }
        }

        var extra = _pumps.Keys.Order().Skip(share).ToList();
        await StopPumpsAsync(extra).ConfigureAwait(false);
        foreach (var partition in extra)
        {
            await leases.ReleaseAsync(partition, stoppingToken).ConfigureAwait(false);
            LogPartitionReleased(logger, partition);
        }

        _awake = [.. _pumps.Values];
    }

    /// <summary>The partitions divided by the silos delivering (this one included), rounded up.</summary>
    private static int FairShare(int partitions, int deliveringSilos)
    {
        var silos = Math.Max(deliveringSilos, 1);
        return (partitions + silos - 1) / silos;
    }

    private void WakeAll()
    {
        foreach (var pump in _awake)
        {
            pump.Wake();
        }
    }

    private async Task StopPumpsAsync(IReadOnlyList<int> partitions)
    {
        foreach (var partition in partitions)
        {
            await _pumps[partition].DisposeAsync().ConfigureAwait(false);
            _pumps.Remove(partition);
            RuntimeMetrics.StreamPartitionsOwned.Add(-1);
        }

        _awake = [.. _pumps.Values];
    }

    [LoggerMessage(20, LogLevel.Information, "Delivering stream partition {Partition}")]
    private static partial void LogPartitionAcquired(ILogger logger, int partition);

    [LoggerMessage(21, LogLevel.Information, "Gave stream partition {Partition} back to the cluster")]
    private static partial void LogPartitionReleased(ILogger logger, int partition);

    [LoggerMessage(22, LogLevel.Warning, "The stream lease connection failed; partitions are released and taken again after reconnecting")]
    private static partial void LogLeaseConnectionLost(ILogger logger, Exception error);

    [LoggerMessage(23, LogLevel.Warning, "Stream delivery is off on this silo (Payments:Streams:Deliver = false); events wait for a silo that delivers")]
    private static partial void LogNotDelivering(ILogger logger);
}
