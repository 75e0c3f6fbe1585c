using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Users;
using Payments.Infrastructure.References;

namespace Payments.Grains.CardWallet;

/// <summary>
/// One device. Reporting it lost is a job that must finish: a reminder is registered before the device is marked
/// lost, so a silo that dies halfway leaves a reminder that resumes it elsewhere; while cards are left, a timer retries
/// every few seconds. Each step is idempotent (a revoked session stays revoked, a suspended card stays suspended), so
/// resuming repeats nothing that matters. The reminder goes once every card is suspended.
/// </summary>
[GrainType("device")]
public sealed partial class DeviceGrain(CardWalletStore store, IOptions<CardWalletOptions> options, TimeProvider time, ILogger<DeviceGrain> logger)
    : Grain, IDeviceGrain, IRemindable
{
    private const string FinishLostReminder = "finish-lost";

    private string? _userId;
    private DeviceView? _device;
    private IGrainTimer? _retry;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await ReloadAsync();

    public Task<Outcome<DeviceView>> Get(string userId) =>
        Task.FromResult(_device is { } device && _userId == userId ? Outcome<DeviceView>.Success(device) : NotFound());

    public async Task<Outcome<LostDeviceView>> ReportLost(string userId)
    {
        if (_device is null || _userId != userId)
        {
            return NotFound();
        }

        if (_device.Status == DeviceStatus.Active)
        {
            await this.RegisterOrUpdateReminder(FinishLostReminder, options.Value.LostDeviceReminderPeriod, options.Value.LostDeviceReminderPeriod);
            await store.MarkDeviceLostAsync(Id, time.GetUtcNow());
            await ReloadAsync();
            LogLost(logger, Id, userId);
        }

        return await FinishAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_device?.Status == DeviceStatus.Lost)
        {
            await FinishAsync();
        }
        else
        {
            await this.UnregisterReminderIfAnyAsync(reminderName);
        }
    }

    /// <summary>Revokes what is left of the device's sessions and suspends what is left of its cards; retries later if a network failed.</summary>
    private async Task<LostDeviceView> FinishAsync()
    {
        var sessions = await store.LiveSessionsAsync(Id);
        foreach (var session in sessions)
        {
            await GrainFactory.Reference<ISessionGrain>(session).Revoke();
        }

        var suspended = new List<string>();
        var pending = new List<string>();
        foreach (var (cardId, status, _) in await store.DeviceCardsAsync(Id))
        {
            var done = status == CardStatus.Suspended || await GrainFactory.Reference<ICardTokenGrain>(cardId).SuspendForLostDevice(Id);
            (done ? suspended : pending).Add(cardId);
        }

        var complete = pending.Count == 0;
        if (complete)
        {
            _retry?.Dispose();
            _retry = null;
            await this.UnregisterReminderIfAnyAsync(FinishLostReminder);
        }
        else
        {
            LogPending(logger, Id, pending.Count);
            _retry ??= this.RegisterGrainTimer(
                _ => FinishAsync(), new GrainTimerCreationOptions(options.Value.LostDeviceRetryInterval, options.Value.LostDeviceRetryInterval) { KeepAlive = true });
        }

        return new LostDeviceView(_device!, sessions.Count, suspended, pending, complete, sessions);
    }

    private async Task ReloadAsync()
    {
        (_userId, _device) = PrefixedId.IsValid(Id, PrefixedId.Device) && await store.LoadDeviceAsync(Id) is { } loaded ? loaded : (null, null);
    }

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such device.");

    [LoggerMessage(1, LogLevel.Warning, "Device {DeviceId} of user {UserId} reported lost; revoking its sessions and suspending its cards")]
    private static partial void LogLost(ILogger logger, string deviceId, string userId);

    [LoggerMessage(2, LogLevel.Warning, "Device {DeviceId} is lost and {Pending} of its cards are not suspended yet; retrying")]
    private static partial void LogPending(ILogger logger, string deviceId, int pending);
}
