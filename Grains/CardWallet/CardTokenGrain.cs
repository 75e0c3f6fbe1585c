using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Payments.Grains.CardNetworks;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.Grains.CardWallet;

/// <summary>
/// One card token. Every change asks the card's network first and is saved (row and audit event together, only over
/// the version it read) after the network agreed; a network that did not answer or refused leaves the card as it was.
/// The card number passes through <see cref="Provision"/> to the network call and nowhere else.
/// </summary>
[GrainType("card-token")]
public sealed partial class CardTokenGrain(
    CardWalletStore store, CardNetworks.CardNetworks networks, IdempotencyRecordStore records, IOptions<CardWalletOptions> options, TimeProvider time, ILogger<CardTokenGrain> logger)
    : Grain, ICardTokenGrain
{
    private const string DeviceLostReason = "device_lost";

    private CardState? _state;

    private string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Reload();

    public async Task Reload() => _state = PrefixedId.IsValid(Id, PrefixedId.Card) ? await store.LoadCardAsync(Id) : null;

    public async Task<IdempotentOutcome> Provision(ProvisionCardCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_state is not null)
        {
            throw new InvalidOperationException($"Card {Id} exists; ids are new for each provisioning.");
        }

        var device = await GrainFactory.Reference<IDeviceGrain>(command.DeviceId).Get(command.UserId);
        if (device.Value is not { } found)
        {
            return Unrecorded(new PaymentError(ErrorCodes.NotFound, "No such device.", "deviceId"));
        }

        if (found.Status == DeviceStatus.Lost)
        {
            return Unrecorded(new PaymentError(ErrorCodes.DeviceLost, "The device was reported lost; cards cannot be added to it.", "deviceId"));
        }

        var card = command.Card;
        if (await store.CardOnDeviceAsync(found.Id, card.Fingerprint) is { } existing)
        {
            return Unrecorded(AlreadyAdded(existing));
        }

        if (await store.CountCardsOnDeviceAsync(found.Id) >= CardWalletLimits.MaxCardsPerDevice)
        {
            return Unrecorded(new PaymentError(ErrorCodes.CardLimitReached, $"A device holds at most {CardWalletLimits.MaxCardsPerDevice} cards.", "deviceId"));
        }

        var network = networks.For(card.Brand);
        ProvisioningAnswer answer;
        try
        {
            // Keyed by the request's idempotency key: a retry after an unknown outcome gets the same token, not a second one.
            answer = await network.ProvisionAsync(
                new ProvisioningRequest($"{stamp.Scope}/{stamp.Key}", card.Number, card.ExpMonth, card.ExpYear, card.Cvc, command.CardholderName, found.Id), CancellationToken.None);
        }
        catch (NetworkUnavailableException error)
        {
            LogNetworkFailed(logger, error, network.Name, Id, "provision");
            return Unrecorded(Unavailable(network.Name));
        }

        if (answer.TokenReference is not { } reference)
        {
            LogDeclined(logger, Id, network.Name, answer.DeclineReason ?? "declined");
            var declined = new PaymentError(ErrorCodes.CardDeclined, "The card's issuer declined adding it to a wallet; contact your bank.");
            return Unrecorded(new StoredResponse(422, declined.ToResponse().Body));
        }

        var now = Now();
        var pending = answer.Status == ProvisioningAnswer.PendingVerification;
        var view = new CardView(
            Id, found.Id, network.Name, reference, card.Last4, card.ExpMonth, card.ExpYear, command.CardholderName, answer.Kind, answer.Art,
            pending ? CardStatus.PendingVerification : CardStatus.Active, null, false, now, now);
        var state = new CardState(view, command.UserId, card.Fingerprint, 1, 0, null);
        var change = new CardChange("card.provisioned", UserActor(command.UserId), new Dictionary<string, string> { ["network"] = network.Name, ["status"] = view.Status }, now);
        var response = pending
            ? new StoredResponse(202, JsonSerializer.Serialize(new VerificationRequiredView(Id, view.Status, CardWalletLimits.VerificationMethods, view), PaymentsJson.Options))
            : PaymentsJson.Created(view);
        try
        {
            var (hash, standing, saved) = await records.SaveWithRecordAsync(stamp, response, CardWalletStore.SaveCommands(state, change));
            if (saved)
            {
                _state = state;
                LogProvisioned(logger, Id, network.Name, view.Status);
            }

            return new IdempotentOutcome(standing, hash);
        }
        catch (PostgresException duplicate) when (duplicate is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "card_tokens_card_on_device" })
        {
            // The same card reached this device under another key at the same moment: that one stands, this token goes.
            await DeleteOrphanAsync(network, reference);
            return Unrecorded(AlreadyAdded(await store.CardOnDeviceAsync(found.Id, card.Fingerprint)));
        }
    }

    public async Task<Outcome<CardView>> Verify(string userId, string method, string code)
    {
        if (Owned(userId) is not { } state)
        {
            return NotFound();
        }

        if (state.View.Status != CardStatus.PendingVerification)
        {
            return Conflict($"The card is {state.View.Status}; only a card waiting for verification can be verified.");
        }

        if (await LostDeviceError(state) is { } lost)
        {
            return lost;
        }

        var now = Now();
        if (state.VerificationLockedUntil is { } until && until > now)
        {
            return Locked(until, now);
        }

        var network = networks.For(state.View.Network);
        bool right;
        try
        {
            right = await network.VerifyAsync(state.View.TokenReference, method, code, CancellationToken.None);
        }
        catch (NetworkUnavailableException error)
        {
            LogNetworkFailed(logger, error, network.Name, Id, "verify");
            return Unavailable(network.Name);
        }

        if (right)
        {
            var verified = await SaveAsync(state with { VerificationFailures = 0, VerificationLockedUntil = null }, view => view with { Status = CardStatus.Active }, "card.verified", UserActor(userId), new() { ["method"] = method });
            return verified;
        }

        var failures = state.VerificationFailures + 1;
        var locks = failures >= CardWalletLimits.VerificationAttempts;
        var lockedUntil = locks ? now + options.Value.VerificationLockout : (DateTimeOffset?)null;
        await SaveAsync(
            state with { VerificationFailures = locks ? 0 : failures, VerificationLockedUntil = lockedUntil }, view => view, locks ? "card.verification_locked" : "card.verification_failed",
            UserActor(userId), new() { ["method"] = method, ["attempt"] = failures.ToString(CultureInfo.InvariantCulture) });
        return locks
            ? Locked(lockedUntil!.Value, now)
            : new PaymentError(ErrorCodes.VerificationFailed, $"The code is wrong; {CardWalletLimits.VerificationAttempts - failures} attempts left before verification locks.", "code");
    }

    public Task<Outcome<CardView>> Get(string userId) => Task.FromResult(Owned(userId) is { } state ? Outcome<CardView>.Success(state.View) : NotFound());

    public async Task<Outcome<CardView>> Suspend(string userId, string reason)
    {
        if (Owned(userId) is not { } state)
        {
            return NotFound();
        }

        return state.View.Status != CardStatus.Active
            ? Conflict($"The card is {state.View.Status}; only an active card can be suspended.")
            : await ChangeAtNetworkAsync(state, TokenChange.Suspend, view => view with { Status = CardStatus.Suspended, StatusReason = reason }, "card.suspended", UserActor(userId), new() { ["reason"] = reason });
    }

    public async Task<Outcome<CardView>> Reactivate(string userId)
    {
        if (Owned(userId) is not { } state)
        {
            return NotFound();
        }

        if (state.View.Status != CardStatus.Suspended)
        {
            return Conflict($"The card is {state.View.Status}; only a suspended card can be reactivated.");
        }

        if (state.View.StatusReason == DeviceLostReason || await LostDeviceError(state) is not null)
        {
            return new PaymentError(ErrorCodes.DeviceLost, "The card's device was reported lost; add the card to another device instead.");
        }

        return await ChangeAtNetworkAsync(state, TokenChange.Resume, view => view with { Status = CardStatus.Active, StatusReason = null }, "card.reactivated", UserActor(userId), []);
    }

    public async Task<Outcome<CardView>> Remove(string userId)
    {
        if (Owned(userId) is not { } state)
        {
            return NotFound();
        }

        return state.View.Status == CardStatus.Removed
            ? state.View
            : await ChangeAtNetworkAsync(state, TokenChange.Delete, view => view with { Status = CardStatus.Removed, IsDefault = false }, "card.removed", UserActor(userId), []);
    }

    public async Task<Outcome<CardView>> MakeDefault(string userId)
    {
        if (Owned(userId) is not { } state)
        {
            return NotFound();
        }

        if (state.View.Status != CardStatus.Active)
        {
            return Conflict($"The card is {state.View.Status}; only an active card can be the default.");
        }

        if (state.View.IsDefault)
        {
            return state.View;
        }

        var previous = await store.DefaultCardAsync(userId);
        CardView made;
        try
        {
            made = await SaveAsync(state, view => view with { IsDefault = true }, "card.made_default", UserActor(userId), []);
        }
        catch (PostgresException race) when (race is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "card_tokens_one_default" })
        {
            return Conflict("Another card became the default at the same moment; try again.");
        }

        // The previous default's row changed in this transaction; its grain holds the row as it was.
        if (previous is not null && previous != Id)
        {
            await GrainFactory.Reference<ICardTokenGrain>(previous).Reload();
        }

        return made;
    }

    public async Task<Outcome<CardEventPage>> Events(string userId) =>
        Owned(userId) is null ? NotFound() : new CardEventPage(await store.EventsAsync(Id), false);

    public async Task<Outcome<CardTransactionPage>> Transactions(string userId, int limit, string? startingAfter)
    {
        if (Owned(userId) is null)
        {
            return NotFound();
        }

        var rows = await store.TransactionsAsync(Id, limit, startingAfter);
        return new CardTransactionPage(rows.Take(limit).ToList(), rows.Count > limit);
    }

    public async Task<bool> SuspendForLostDevice(string deviceId)
    {
        if (_state is not { } state || state.View.DeviceId != deviceId || state.View.Status is CardStatus.Suspended or CardStatus.Removed)
        {
            return true;
        }

        // A token still waiting for its code is deleted: it was never usable, and its device will not verify it now.
        var (change, next, type) = state.View.Status == CardStatus.Active
            ? (TokenChange.Suspend, (Func<CardView, CardView>)(view => view with { Status = CardStatus.Suspended, StatusReason = DeviceLostReason }), "card.suspended")
            : (TokenChange.Delete, view => view with { Status = CardStatus.Removed, StatusReason = DeviceLostReason }, "card.removed");
        var outcome = await ChangeAtNetworkAsync(state, change, next, type, "system", new() { ["reason"] = DeviceLostReason });
        return outcome.Succeeded;
    }

    public Task<Outcome<CardChargeResult>> Charge(CardChargeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChargeAsync(
            request.UserId, request.PaymentId,
            (network, reference) => network.ChargeAsync(
                new TokenCharge(request.IdempotencyKey, reference, request.Cryptogram, request.Atc, request.Amount, request.Currency, request.MerchantId), CancellationToken.None));
    }

    public Task<Outcome<CardChargeResult>> Pull(string userId, long amount, string currency, string idempotencyKey) =>
        ChargeAsync(userId, "funding pull", (network, reference) => network.PullAsync(new TokenFunds(idempotencyKey, reference, amount, currency), CancellationToken.None));

    public Task<Outcome<CardChargeResult>> Push(string userId, long amount, string currency, string idempotencyKey) =>
        ChargeAsync(userId, "instant cash-out", (network, reference) => network.PushAsync(new TokenFunds(idempotencyKey, reference, amount, currency), CancellationToken.None));

    public async Task<Outcome<CardView>> Payable(string userId) =>
        await PayableError(userId) is { } refused ? refused : _state!.View;

    /// <summary>Why the card cannot move money for <paramref name="userId"/> now, or null: it is theirs, active, on a device not lost.</summary>
    private async Task<PaymentError?> PayableError(string userId)
    {
        if (Owned(userId) is not { } state)
        {
            return new PaymentError(ErrorCodes.NotFound, "No such card.", "card");
        }

        if (state.View.Status != CardStatus.Active)
        {
            return new PaymentError(ErrorCodes.CardStatusConflict, $"The card is {state.View.Status}; only an active card can pay.", "card");
        }

        return await LostDeviceError(state);
    }

    /// <summary>Charges the card at its network: only an active card of <paramref name="userId"/>, on a device not lost.</summary>
    private async Task<Outcome<CardChargeResult>> ChargeAsync(string userId, string purpose, Func<ICardNetwork, string, Task<TokenChargeAnswer>> charge)
    {
        if (await PayableError(userId) is { } refused)
        {
            return refused;
        }

        var state = _state!;
        var network = networks.For(state.View.Network);
        try
        {
            var answer = await charge(network, state.View.TokenReference);
            if (!answer.Approved)
            {
                LogChargeDeclined(logger, Id, purpose, answer.DeclineCode!);
            }

            return new CardChargeResult(answer.Approved, answer.AuthorizationCode, answer.DeclineCode, state.View);
        }
        catch (NetworkUnavailableException error)
        {
            LogNetworkFailed(logger, error, network.Name, Id, "charge");
            return Unavailable(network.Name);
        }
    }

    /// <summary>Asks the network for the change, then saves it; a network that refused or did not answer changes nothing.</summary>
    private async Task<Outcome<CardView>> ChangeAtNetworkAsync(
        CardState state, TokenChange change, Func<CardView, CardView> next, string type, string actor, Dictionary<string, string> detail)
    {
        var network = networks.For(state.View.Network);
        try
        {
            await network.ChangeAsync(state.View.TokenReference, change, CancellationToken.None);
        }
        catch (Exception error) when (error is NetworkUnavailableException or NetworkRefusedException)
        {
            LogNetworkFailed(logger, error, network.Name, Id, change.ToString());
            return Unavailable(network.Name);
        }

        return await SaveAsync(state, next, type, actor, detail);
    }

    private async Task<CardView> SaveAsync(CardState state, Func<CardView, CardView> next, string type, string actor, Dictionary<string, string> detail)
    {
        var now = Now();
        var saved = state with { View = next(state.View) with { UpdatedAt = now }, Version = state.Version + 1 };
        await store.SaveAsync(saved, new CardChange(type, actor, detail, now));
        _state = saved;
        LogChanged(logger, Id, type, saved.View.Status);
        return saved.View;
    }

    private async Task<PaymentError?> LostDeviceError(CardState state)
    {
        var device = await GrainFactory.Reference<IDeviceGrain>(state.View.DeviceId).Get(state.UserId);
        return device.Value is { Status: DeviceStatus.Active } ? null : new PaymentError(ErrorCodes.DeviceLost, "The card's device was reported lost.", "card");
    }

    private async Task DeleteOrphanAsync(ICardNetwork network, string reference)
    {
        try
        {
            await network.ChangeAsync(reference, TokenChange.Delete, CancellationToken.None);
        }
        catch (Exception error) when (error is NetworkUnavailableException or NetworkRefusedException)
        {
            LogNetworkFailed(logger, error, network.Name, Id, "delete orphan token");
        }
    }

    private CardState? Owned(string userId) => _state is { } state && state.UserId == userId ? state : null;

    private static string UserActor(string userId) => $"user:{userId}";

    private static PaymentError AlreadyAdded(string? existing) =>
        new(ErrorCodes.CardAlreadyAdded, $"This card is already on this device (card {existing}).", "number");

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such card.");

    private static PaymentError Conflict(string message) => new(ErrorCodes.CardStatusConflict, message);

    private static PaymentError Unavailable(string network) =>
        new(ErrorCodes.NetworkUnavailable, $"The {network} network did not answer; nothing changed. Retry later.");

    private static PaymentError Locked(DateTimeOffset until, DateTimeOffset now) =>
        new(ErrorCodes.VerificationLocked, $"Too many wrong codes; verification is locked until {until:yyyy-MM-dd'T'HH:mm:ss'Z'}.", "code", (int)Math.Ceiling((until - now).TotalSeconds));

    private static IdempotentOutcome Unrecorded(PaymentError error) => new(error.ToResponse(), null);

    private static IdempotentOutcome Unrecorded(StoredResponse response) => new(response, null);

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(1, LogLevel.Information, "Card {CardId} provisioned at {Network}: {Status}")]
    private static partial void LogProvisioned(ILogger logger, string cardId, string network, string status);

    [LoggerMessage(2, LogLevel.Information, "Card {CardId}: {Change}, now {Status}")]
    private static partial void LogChanged(ILogger logger, string cardId, string change, string status);

    [LoggerMessage(3, LogLevel.Warning, "The {Network} network failed to {Operation} for card {CardId}; nothing changed")]
    private static partial void LogNetworkFailed(ILogger logger, Exception error, string network, string cardId, string operation);

    [LoggerMessage(4, LogLevel.Information, "Provisioning of card {CardId} declined by {Network}: {Reason}")]
    private static partial void LogDeclined(ILogger logger, string cardId, string network, string reason);

    [LoggerMessage(5, LogLevel.Information, "Charge of card {CardId} for {Purpose} declined: {DeclineCode}")]
    private static partial void LogChargeDeclined(ILogger logger, string cardId, string purpose, string declineCode);
}
