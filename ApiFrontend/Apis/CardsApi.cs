using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Cards;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Cards;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/cards: the signed-in user's card wallet: provisioning, verification, lifecycle, audit trail and transactions.</summary>
public static class CardsApi
{
    private static readonly string[] s_lifecycleErrors = [ErrorCodes.NotFound, ErrorCodes.CardStatusConflict, ErrorCodes.NetworkUnavailable];

    public static RouteGroupBuilder MapCardsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/cards").WithTags(ApiTags.CardWallet).RequireAuthorization();

        group.MapPost("/", ProvisionCard)
            .WithName(nameof(ProvisionCard))
            .WithSummary("Add a card to a device")
            .WithDescription("Checks the number (Luhn), the expiry and the network from the BIN (Visa, Mastercard, American Express, Discover), then asks the card's network for a token bound to the device. 201 with the card when the network activates it at once; 202 with `methods` when it sent a code to verify (then `POST /v1/cards/{id}/verify`); 422 `CARD_DECLINED` when the issuer refuses. The number and CVC go to the network only: they are never stored, logged or returned. The same card on the same device is refused (409); on another device it is a new token.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<ProvisionCardRequest>("application/json")
            .Produces<CardView>(StatusCodes.Status201Created)
            .Produces<VerificationRequiredView>(StatusCodes.Status202Accepted)
            .ProducesError(ErrorCodes.CardDeclined, StatusCodes.Status422UnprocessableEntity)
            .ProducesErrors(ErrorCodes.InvalidCard, ErrorCodes.UnsupportedCard, ErrorCodes.NotFound, ErrorCodes.DeviceLost, ErrorCodes.CardAlreadyAdded, ErrorCodes.CardLimitReached, ErrorCodes.NetworkUnavailable, ErrorCodes.IdempotencyKeyReused);
        group.MapGet("/", ListCards)
            .WithName(nameof(ListCards))
            .WithSummary("List your cards")
            .WithDescription("Every card but removed ones, grouped by device (ordered by device, then oldest first); `device` keeps one device's.")
            .Produces<CardPage>();
        group.MapGet("/{id}", GetCard)
            .WithName(nameof(GetCard))
            .WithSummary("Get a card")
            .Produces<CardView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/{id}/verify", VerifyCard)
            .WithName(nameof(VerifyCard))
            .WithSummary("Verify a card")
            .WithDescription($"Completes a provisioning that needs a code: the code the network sent by `method`. After {CardWalletLimits.VerificationAttempts} wrong codes, verification locks for a while (423 `VERIFICATION_LOCKED` with `retryAfter`).")
            .Accepts<VerifyCardRequest>("application/json")
            .Produces<CardView>()
            .ProducesErrors([.. s_lifecycleErrors, ErrorCodes.VerificationFailed, ErrorCodes.VerificationLocked, ErrorCodes.DeviceLost]);
        group.MapPost("/{id}/suspend", SuspendCard)
            .WithName(nameof(SuspendCard))
            .WithSummary("Suspend a card")
            .WithDescription("The network suspends the token first; then the card is suspended. A network that refuses or does not answer leaves the card active (503 `NETWORK_UNAVAILABLE`, retryable).")
            .Accepts<SuspendCardRequest>("application/json")
            .Produces<CardView>()
            .ProducesErrors(s_lifecycleErrors);
        group.MapPost("/{id}/reactivate", ReactivateCard)
            .WithName(nameof(ReactivateCard))
            .WithSummary("Reactivate a card")
            .WithDescription("Resumes a suspended card at its network, then here. A card of a lost device stays suspended (409 `DEVICE_LOST`).")
            .Produces<CardView>()
            .ProducesErrors([.. s_lifecycleErrors, ErrorCodes.DeviceLost]);
        group.MapDelete("/{id}", RemoveCard)
            .WithName(nameof(RemoveCard))
            .WithSummary("Remove a card")
            .WithDescription("Deletes the token at its network, then removes the card; it leaves listings, and its audit trail stays. Removing a removed card answers it as it is.")
            .Produces<CardView>()
            .ProducesErrors(s_lifecycleErrors);
        group.MapPost("/{id}/default", MakeCardDefault)
            .WithName(nameof(MakeCardDefault))
            .WithSummary("Make a card the default")
            .WithDescription("One default card per user at most: the previous default stops being one in the same transaction.")
            .Produces<CardView>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.CardStatusConflict);
        group.MapGet("/{id}/events", ListCardEvents)
            .WithName(nameof(ListCardEvents))
            .WithSummary("List a card's audit trail")
            .WithDescription("Oldest first: provisioned, verified, verification failures, suspended, reactivated, removed, made default, with who did it (the user, or the system for a lost device) and when.")
            .Produces<CardEventPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapGet("/{id}/transactions", ListCardTransactions)
            .WithName(nameof(ListCardTransactions))
            .WithSummary("List a card's transactions")
            .WithDescription("Merchant payments made with the card, newest first: merchant name, amount, status and date. `startingAfter` is a payment id.")
            .Produces<CardTransactionPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>POST /v1/cards with Idempotency-Key → 201 the card, 202 verification required, 422 declined.</summary>
    public static async Task<IResult> ProvisionCard(
        HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CardFingerprints fingerprints, [FromServices] TimeProvider time)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<ProvisionCardRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var input = body.Value!.Validate(time.GetUtcNow());
        if (input.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var card = input.Value!;
        var details = new CardDetails(card.Number, card.ExpMonth, card.ExpYear, card.Cvc, fingerprints.Of(card.Number), card.Brand, CardNumber.Last4(card.Number));
        var userId = user.UserId();
        var command = new ProvisionCardCommand(userId, card.DeviceId, details, card.CardholderName);
        var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(userId, key.Value));
        return ApiResults.Stored(await grain.Execute(command, RequestHash.Compute(context, command)));
    }

    public static async Task<IResult> ListCards(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? device) =>
        device is not null && !PrefixedId.IsValid(device, PrefixedId.Device)
            ? ApiResults.Error(ApiError.Validation("device", "device is a device id (dev_…)."))
            : ApiResults.Json(await grains.Reference<ICardholderGrain>(user.UserId()).Cards(device));

    public static Task<IResult> GetCard(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnCardAsync(id, card => card.Get(user.UserId()), grains);

    /// <summary>POST /v1/cards/{id}/verify {method, code} → 200 the active card.</summary>
    public static async Task<IResult> VerifyCard(string id, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<VerifyCardRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var input = body.Value!.Validate();
        return input.Error is { } error
            ? ApiResults.Error(error)
            : await OnCardAsync(id, card => card.Verify(user.UserId(), input.Value.Method, input.Value.Code), grains);
    }

    /// <summary>POST /v1/cards/{id}/suspend {reason?} → 200 the suspended card.</summary>
    public static async Task<IResult> SuspendCard(string id, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        string? reason = null;
        if (context.Request.ContentLength is > 0 || context.Request.HasJsonContentType())
        {
            var body = await JsonBody.ReadAsync<SuspendCardRequest>(context.Request);
            if (body.Error is { } invalid)
            {
                return ApiResults.Error(invalid);
            }

            reason = body.Value!.Reason;
            if (CreateMerchantPaymentRequest.Text(reason, "reason", CardWalletLimits.MaxReasonLength) is { } badReason)
            {
                return ApiResults.Error(badReason);
            }
        }

        return await OnCardAsync(id, card => card.Suspend(user.UserId(), string.IsNullOrWhiteSpace(reason) ? "user_request" : reason), grains);
    }

    public static Task<IResult> ReactivateCard(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnCardAsync(id, card => card.Reactivate(user.UserId()), grains);

    public static Task<IResult> RemoveCard(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnCardAsync(id, card => card.Remove(user.UserId()), grains);

    public static Task<IResult> MakeCardDefault(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnCardAsync(id, card => card.MakeDefault(user.UserId()), grains);

    public static Task<IResult> ListCardEvents(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnCardAsync(id, card => card.Events(user.UserId()), grains);

    /// <summary>GET /v1/cards/{id}/transactions?limit=&amp;startingAfter= → newest first.</summary>
    public static async Task<IResult> ListCardTransactions(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.Payment))
        {
            return ApiResults.Error(ApiError.Validation("startingAfter", "startingAfter is a payment id from a previous page."));
        }

        return await OnCardAsync(id, card => card.Transactions(user.UserId(), pageSize.Value, startingAfter), grains);
    }

    /// <summary>Calls the card's grain when the id is one a card could have; anything else is 404 without a grain.</summary>
    private static async Task<IResult> OnCardAsync<T>(string id, Func<ICardTokenGrain, Task<Outcome<T>>> call, IGrainFactory grains) =>
        PrefixedId.IsValid(id, PrefixedId.Card)
            ? ApiResults.Ok(await call(grains.Reference<ICardTokenGrain>(id)))
            : ApiResults.Error(new ApiError(ErrorCodes.NotFound, "No such card."));
}
