using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Interfaces.Users;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/requests: asking someone for money, and paying, declining or cancelling such a request.</summary>
public static class RequestsApi
{
    public static RouteGroupBuilder MapRequestsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/requests").WithTags(ApiTags.PaymentRequests).RequireAuthorization();

        group.MapPost("/", CreatePaymentRequest)
            .WithName(nameof(CreatePaymentRequest))
            .WithSummary("Request money")
            .WithDescription("Asks another user (`from`: a username or a user id) for `amount` cents. No money moves until they pay. The Idempotency-Key header is optional here: with one, a retry returns the first request instead of making another.")
            .WithMetadata(IdempotencyHeader.OptionalMetadata)
            .Accepts<CreatePaymentRequestRequest>("application/json")
            .Produces<PaymentRequestView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.InvalidAmount, ErrorCodes.RecipientNotFound, ErrorCodes.InvalidRecipient);
        group.MapGet("/", ListPaymentRequests)
            .WithName(nameof(ListPaymentRequests))
            .WithSummary("List payment requests")
            .WithDescription("Requests you received (`role=received`, the default) or sent (`role=sent`), newest first, optionally only those of one `status` (pending, paid, declined, canceled). `startingAfter` is a request id.")
            .Produces<PaymentRequestPage>();
        group.MapPost("/{id}/pay", PayPaymentRequest)
            .WithName(nameof(PayPaymentRequest))
            .WithSummary("Pay a payment request")
            .WithDescription("Pays a pending request addressed to you with a transfer to its requester. However often, and with whatever keys, it is called, a request is paid by one transfer: once paid, it answers 409 `REQUEST_NOT_PENDING` (a retry with the same key answers the first payment). Like a send, a payment larger than your balance is covered by your default funding source, if you chose one.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Produces<PayReceipt>(StatusCodes.Status201Created)
            .ProducesErrors(
                ErrorCodes.NotFound, ErrorCodes.RequestNotPending, ErrorCodes.InsufficientFunds, ErrorCodes.DailyLimitExceeded, ErrorCodes.AccountFrozen,
                ErrorCodes.FundingDeclined, ErrorCodes.CardStatusConflict, ErrorCodes.DeviceLost, ErrorCodes.NetworkUnavailable);
        MapClose(group.MapPost("/{id}/decline", DeclinePaymentRequest))
            .WithName(nameof(DeclinePaymentRequest))
            .WithSummary("Decline a payment request")
            .WithDescription("The user asked to pay turns a pending request down.");
        MapClose(group.MapPost("/{id}/cancel", CancelPaymentRequest))
            .WithName(nameof(CancelPaymentRequest))
            .WithSummary("Cancel a payment request")
            .WithDescription("The requester withdraws a pending request.");
        return group;
    }

    private static RouteHandlerBuilder MapClose(RouteHandlerBuilder endpoint) => endpoint
        .Produces<PaymentRequestView>()
        .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.RequestNotPending);

    /// <summary>
    /// POST /v1/requests {from, amount, note} → 201 the pending request. The Idempotency-Key header is optional here
    /// (no money moves): with one, a retry returns the first request instead of creating another.
    /// </summary>
    public static async Task<IResult> CreatePaymentRequest(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] UserLookup userLookup)
    {
        var key = IdempotencyHeader.ReadOptional(context.Request);
        if (key.Error is { } badKey)
        {
            return ApiResults.Error(badKey);
        }

        var body = await JsonBody.ReadAsync<CreatePaymentRequestRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var input = body.Value!.Validate();
        if (input.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var request = input.Value!;
        var requester = user.UserId();
        var payer = await userLookup.ResolveCounterpartyAsync(request.From, requester, "from", "You cannot request money from yourself.");
        if (payer.Error is { } unknown)
        {
            return ApiResults.Error(unknown);
        }

        var command = new CreatePaymentRequestCommand(requester, payer.Value!.Id, request.Amount, request.Note);
        if (key.Value is { } idempotencyKey)
        {
            var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(requester, idempotencyKey));
            return ApiResults.Stored(await grain.Execute(command, RequestHash.Compute(context, command)));
        }

        return ApiResults.Stored((await grains.Reference<IPaymentRequestGrain>(SocialId.New()).Create(command, null)).Response);
    }

    /// <summary>GET /v1/requests?role=received|sent&amp;status=&amp;limit=&amp;startingAfter= → {data, hasMore}, newest first (role defaults to received).</summary>
    public static async Task<IResult> ListPaymentRequests(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? role,
        [FromQuery] string? status,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        var list = await grains.Reference<IUserRequestsGrain>(user.UserId()).List(role ?? PaymentRequestRole.Received, status, pageSize.Value, startingAfter);
        return ApiResults.Ok(list);
    }

    /// <summary>
    /// POST /v1/requests/{id}/pay with Idempotency-Key → 201 {request, transfer, balance}. However often and with
    /// whatever keys it is called, the request is paid by one transfer; a second payment answers 409 REQUEST_NOT_PENDING.
    /// </summary>
    public static async Task<IResult> PayPaymentRequest(string id, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        if (!SocialId.TryParse(id, out var requestId))
        {
            return ApiResults.Error(NoSuchRequest());
        }

        var payer = user.UserId();
        var command = new PayRequestCommand(payer, requestId.ToString("D"));
        var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(payer, key.Value));
        return ApiResults.Stored(await grain.Execute(command, RequestHash.Compute(context, command)));
    }

    /// <summary>POST /v1/requests/{id}/decline: the requestee turns a pending request down.</summary>
    public static async Task<IResult> DeclinePaymentRequest(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        SocialId.TryParse(id, out var requestId)
            ? ApiResults.Ok(await grains.Reference<IPaymentRequestGrain>(requestId.ToString("D")).Decline(user.UserId()))
            : ApiResults.Error(NoSuchRequest());

    /// <summary>POST /v1/requests/{id}/cancel: the requester withdraws a pending request.</summary>
    public static async Task<IResult> CancelPaymentRequest(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        SocialId.TryParse(id, out var requestId)
            ? ApiResults.Ok(await grains.Reference<IPaymentRequestGrain>(requestId.ToString("D")).Cancel(user.UserId()))
            : ApiResults.Error(NoSuchRequest());

    private static ApiError NoSuchRequest() => ApiError.NotFound("No such payment request.");
}
