using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Reminders;

/// <summary>
/// Claims due reminders every poll interval and calls <see cref="IRemindable.ReceiveReminder"/> on their grains through
/// the silo's router (so the call reaches the owner wherever it lives). A firing is claimed by one silo only.
/// A one-shot reminder is deleted only once its grain has received it, so a firing lost to a failed call or a dead
/// silo is claimed again after <see cref="ReminderOptions.OneShotRetryDelay"/> (at least once); a periodic one's missed
/// firing is not repeated, the next period comes anyway.
/// </summary>
internal sealed partial class ReminderService(ReminderTable table, IGrainCallRouter router, IOptions<ReminderOptions> options, ILogger<ReminderService> logger) : BackgroundService
{
    private static readonly GrainMethod s_receive = GrainInterfaceMetadata.For(typeof(IRemindable)).Methods.Values.Single();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                IReadOnlyList<DueReminder> due;
                try
                {
                    due = await table.ClaimDueAsync(options.Value.OneShotRetryDelay, stoppingToken).ConfigureAwait(false);
                }
                catch (Npgsql.NpgsqlException error)
                {
                    LogClaimFailed(logger, error);
                    continue;
                }

                foreach (var reminder in due)
                {
                    _ = FireAsync(reminder);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task FireAsync(DueReminder reminder)
    {
        try
        {
            await ((Task)s_receive.Call(router, reminder.Grain, [reminder.Name])).ConfigureAwait(false);
            if (reminder.IsOneShot)
            {
                await table.CompleteOneShotAsync(reminder).ConfigureAwait(false);
            }
        }
        catch (Exception error)
        {
            LogFireFailed(logger, error, reminder.Name, reminder.Grain.ToString());
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Claiming due reminders failed; trying again next round")]
    private static partial void LogClaimFailed(ILogger logger, Exception error);

    [LoggerMessage(2, LogLevel.Error, "Reminder {Name} of {Grain} failed (a one-shot reminder fires again after the retry delay)")]
    private static partial void LogFireFailed(ILogger logger, Exception error, string name, string grain);
}
