using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Reminders;

/// <summary>Reminder settings (section <c>Payments:Reminders</c>).</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Payments:Reminders";

    /// <summary>How often due reminders are claimed; a reminder fires at most this late. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Claims due reminders every poll interval and calls <see cref="IRemindable.ReceiveReminder"/> on their grains through
/// the silo's router (so the call reaches the owner wherever it lives). A firing is claimed by one silo only.
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
                    due = await table.ClaimDueAsync(stoppingToken).ConfigureAwait(false);
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
        }
        catch (Exception error)
        {
            LogFireFailed(logger, error, reminder.Name, reminder.Grain.ToString());
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Claiming due reminders failed; trying again next round")]
    private static partial void LogClaimFailed(ILogger logger, Exception error);

    [LoggerMessage(2, LogLevel.Error, "Reminder {Name} of {Grain} failed")]
    private static partial void LogFireFailed(ILogger logger, Exception error, string name, string grain);
}
