using Microsoft.Extensions.Logging;
using Orleans;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.CardWallet;

/// <summary>
/// A user's card wallet. Its turns add devices one at a time, so the count checked is the count inserted against;
/// listings read the rows.
/// </summary>
[GrainType("cardholder")]
public sealed partial class CardholderGrain(CardWalletStore store, TimeProvider time, ILogger<CardholderGrain> logger) : Grain, ICardholderGrain
{
    private string UserId => this.GetPrimaryKeyString();

    public async Task<Outcome<DeviceView>> AddDevice(string name, string platform)
    {
        var now = time.GetUtcNow();
        var device = new DeviceView(PrefixedId.New(PrefixedId.Device), name, platform, DeviceStatus.Active, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)), null);
        if (!await store.InsertDeviceAsync(UserId, device, CardWalletLimits.MaxDevicesPerUser))
        {
            return new PaymentError(ErrorCodes.DeviceLimitReached, $"A user has at most {CardWalletLimits.MaxDevicesPerUser} devices.");
        }

        LogAdded(logger, device.Id, UserId, platform);
        return device;
    }

    public async Task<DevicePage> Devices() => new(await store.DevicesAsync(UserId), false);

    public async Task<CardPage> Cards(string? deviceId) => new(await store.CardsAsync(UserId, deviceId), false);

    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} added for user {UserId} ({Platform})")]
    private static partial void LogAdded(ILogger logger, string deviceId, string userId, string platform);
}
