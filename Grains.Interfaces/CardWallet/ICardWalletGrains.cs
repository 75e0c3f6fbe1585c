using Orleans;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>
/// A user's card wallet (key: the user id): it adds devices one at a time, so a user never has more than
/// <see cref="CardWalletLimits.MaxDevicesPerUser"/>, and lists their devices and cards.
/// </summary>
[Alias("cardholder")]
public interface ICardholderGrain : IGrainWithStringKey
{
    Task<Outcome<DeviceView>> AddDevice(string name, string platform);

    Task<DevicePage> Devices();

    /// <summary>The user's cards (all but removed ones), by device, oldest first; only one device's when named.</summary>
    Task<CardPage> Cards(string? deviceId);

    /// <summary>The bank account and the active cards, the default marked.</summary>
    Task<Funding.FundingSourcePage> FundingSources();

    /// <summary>Makes <paramref name="source"/> (<c>bank</c> or an active card's id) the default, or clears it (null).</summary>
    Task<Outcome<Funding.FundingSourcePage>> SetDefaultFundingSource(string? source);

    /// <summary>The default funding source if it can pay now (<c>bank</c>, or a card that is active on a device not lost), else null.</summary>
    Task<string?> UsableDefaultFundingSource();
}

/// <summary>One device (key: "dev_…"). Reporting it lost suspends its cards and revokes its sessions, to the end.</summary>
[Alias("device")]
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>The device, to its owner; NOT_FOUND to anyone else.</summary>
    Task<Outcome<DeviceView>> Get(string userId);

    /// <summary>
    /// Marks the device lost (durably, first), revokes the sessions bound to it, and suspends every active card on it
    /// at its network. Idempotent: a repeat reports progress. What a network did not confirm is retried until done.
    /// </summary>
    Task<Outcome<LostDeviceView>> ReportLost(string userId);
}

/// <summary>
/// One card token (key: "card_…"). Lifecycle changes ask the network first and change the status only after it
/// agreed; a network that refused or did not answer leaves the card as it was (a retryable 503).
/// </summary>
[Alias("card-token")]
public interface ICardTokenGrain : IGrainWithStringKey
{
    /// <summary>201 with the card (active), 202 with the verification methods, 422 CARD_DECLINED; the card's row and the answer commit together.</summary>
    Task<IdempotentOutcome> Provision(ProvisionCardCommand command, IdempotencyStamp stamp);

    Task<Outcome<CardView>> Verify(string userId, string method, string code);

    Task<Outcome<CardView>> Get(string userId);

    Task<Outcome<CardView>> Suspend(string userId, string reason);

    Task<Outcome<CardView>> Reactivate(string userId);

    Task<Outcome<CardView>> Remove(string userId);

    Task<Outcome<CardView>> MakeDefault(string userId);

    Task<Outcome<CardEventPage>> Events(string userId);

    Task<Outcome<CardTransactionPage>> Transactions(string userId, int limit, string? startingAfter);

    /// <summary>Rereads the card's row: another card of the user became the default in its own transaction.</summary>
    Task Reload();

    /// <summary>The device was reported lost: suspend at the network (retried by the device until it succeeds).</summary>
    Task<bool> SuspendForLostDevice(string deviceId);

    /// <summary>Charges a merchant payment to the card: only an active card of the payer, on a device not lost.</summary>
    Task<Outcome<CardChargeResult>> Charge(CardChargeRequest request);

    /// <summary>Pushes an instant cash-out to the card (keyed by the withdrawal's transaction id).</summary>
    Task<Outcome<CardChargeResult>> Push(string userId, long amount, string currency, string idempotencyKey);

    /// <summary>The card, if it can move money for <paramref name="userId"/> now: theirs, active, on a device not lost.</summary>
    Task<Outcome<CardView>> Payable(string userId);

    /// <summary>Pulls money from the card into the user's wallet (a funding pull, keyed), for a send larger than the balance.</summary>
    Task<Outcome<CardChargeResult>> Pull(string userId, long amount, string currency, string idempotencyKey);
}

/// <summary>An operator's handle on a simulated card network (key: the network's name): failure injection for every silo.</summary>
[Alias("card-network-simulator")]
public interface ICardNetworkSimulatorGrain : IGrainWithStringKey
{
    Task SetFaults(NetworkFaults faults);
}
