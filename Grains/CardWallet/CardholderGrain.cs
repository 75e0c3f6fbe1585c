using Microsoft.Extensions.Logging;
using Orleans;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Funding;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

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

    public async Task<FundingSourcePage> FundingSources()
    {
        var chosen = await store.DefaultFundingSourceAsync(UserId);
        var cards = (await store.CardsAsync(UserId, null)).Where(card => card.Status == CardStatus.Active);
        return new FundingSourcePage(
            [
                new FundingSourceView(Interfaces.Funding.FundingSources.Bank, Interfaces.Funding.FundingSources.Bank, "Linked bank account", chosen == Interfaces.Funding.FundingSources.Bank),
                .. cards.Select(card => new FundingSourceView(card.Id, Interfaces.Funding.FundingSources.Card, $"{card.Network} {card.Kind} •••• {card.Last4}", chosen == card.Id)),
            ],
            false);
    }

    public async Task<Outcome<FundingSourcePage>> SetDefaultFundingSource(string? source)
    {
        if (source is not null && source != Interfaces.Funding.FundingSources.Bank
            && (await store.CardsAsync(UserId, null)).All(card => card.Id != source || card.Status != CardStatus.Active))
        {
            return new PaymentError(ErrorCodes.NotFound, "No such funding source: it is bank or one of your active cards.", "source");
        }

        await store.SetDefaultFundingSourceAsync(UserId, source);
        LogDefaultSource(logger, UserId, source ?? "none");
        return await FundingSources();
    }

    public async Task<string?> UsableDefaultFundingSource()
    {
        var chosen = await store.DefaultFundingSourceAsync(UserId);
        if (chosen is null or Interfaces.Funding.FundingSources.Bank)
        {
            return chosen;
        }

        // A card pays only while active; the card's grain checks its device when it is asked to pay.
        var card = await GrainFactory.Reference<ICardTokenGrain>(chosen).Get(UserId);
        return card.Value is { Status: CardStatus.Active } ? chosen : null;
    }

    [LoggerMessage(2, LogLevel.Information, "User {UserId}'s default funding source is now {Source}")]
    private static partial void LogDefaultSource(ILogger logger, string userId, string source);

    [LoggerMessage(1, LogLevel.Information, "Device {DeviceId} added for user {UserId} ({Platform})")]
    private static partial void LogAdded(ILogger logger, string deviceId, string userId, string platform);
}
