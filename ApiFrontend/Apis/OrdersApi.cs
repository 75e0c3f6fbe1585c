using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/orders: buyers' orders and their sagas; the merchant's side of them; the operator queue of stuck orders.</summary>
public static class OrdersApi
{
    private static readonly string[] s_partyErrors = [ErrorCodes.NotFound];

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes)
    {
        var orders = routes.MapGroup("/orders").WithTags(ApiTags.Commerce);
        orders.MapPost("/", PlaceOrder)
            .RequireAuthorization()
            .WithName(nameof(PlaceOrder))
            .WithSummary("Place an order")
            .WithDescription("Orders 1 to 20 lines of one merchant's products, paid from your wallet or with a card of your card wallet. Each line's price is frozen now. The order is recorded (`pending`), then its saga runs: reserve the stock of every line at once (an Orleans transaction: all lines or none), authorize the payment (a merchant payment, held), capture it (`paid`), and deliver the license (`fulfilled`). The answer is the order as far as the saga got: a step that fails for good compensates the ones before it in reverse order and the order is `failed` with `failure` (`OUT_OF_STOCK`, `CARD_DECLINED`, `INSUFFICIENT_FUNDS`…), charged nothing and holding no stock; a step whose party is down is retried with backoff and the order stays `pending` meanwhile. A repeat with the same Idempotency-Key answers the same order, as it stands then.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<PlaceOrderRequest>("application/json")
            .Produces<OrderView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.ProductUnavailable, ErrorCodes.CardStatusConflict, ErrorCodes.DeviceLost, ErrorCodes.IdempotencyKeyReused, ErrorCodes.InvalidAmount);
        orders.MapGet("/", ListOrders)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(ListOrders))
            .WithSummary("List orders")
            .WithDescription("Your orders as a buyer (your session), or a merchant's (its API key, or with the owner's session the one `merchant` names), newest first; `status` filters, `startingAfter` is an order id.")
            .Produces<OrderPage>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.ValidationError);
        orders.MapGet("/{id}", GetOrder)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(GetOrder))
            .WithSummary("Get an order")
            .WithDescription("To its buyer, or to its merchant (API key, or the owner's session with `merchant`), with its saga's log of steps done and undone.")
            .Produces<OrderView>()
            .ProducesErrors(s_partyErrors);
        orders.MapGet("/{id}/events", ListOrderEvents)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(ListOrderEvents))
            .WithSummary("List an order's events")
            .WithDescription("Every change to the order, oldest first; each event's `data` holds the fields it set, so the order can be rebuilt from them.")
            .Produces<OrderEventPage>()
            .ProducesErrors(s_partyErrors);
        orders.MapPost("/{id}/cancel", CancelOrder)
            .RequireAuthorization()
            .WithName(nameof(CancelOrder))
            .WithSummary("Cancel an order")
            .WithDescription("The buyer cancels an order that is not fulfilled yet: the same compensations as a failure run (the payment voided or refunded, the stock released) and the order ends `canceled`. Canceling again answers the order.")
            .Produces<OrderView>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.OrderNotCancelable);
        orders.MapPost("/{id}/refund", RefundOrder)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithName(nameof(RefundOrder))
            .WithSummary("Refund an order")
            .WithDescription("The merchant refunds a fulfilled order: the payment is refunded in full and the license revoked; the order ends `refunded`. Units sold are not put back on sale (restock to sell more). Refunding again answers the order.")
            .Produces<OrderView>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.OrderNotRefundable);

        var admin = routes.MapGroup("/admin/orders").WithTags(ApiTags.Admin).RequireAuthorization(ApiAuth.AdminPolicy);
        admin.MapGet("/stuck", ListStuckOrders)
            .WithName(nameof(ListStuckOrders))
            .WithSummary("List stuck orders")
            .WithDescription("The operator queue: orders whose compensation kept failing past its limit, the longest waiting first, each with `stuck` (the step, its last error, the attempts).")
            .Produces<OrderPage>()
            .ProducesErrors(ErrorCodes.ValidationError);
        admin.MapPost("/{id}/retry", RetryOrder)
            .WithName(nameof(RetryOrder))
            .WithSummary("Retry a stuck order")
            .WithDescription("Runs a stuck order's saga again from the step that failed, with its attempts counted afresh.")
            .Produces<OrderView>()
            .ProducesErrors(ErrorCodes.NotFound);
        return routes;
    }

    public static async Task<IResult> PlaceOrder(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<PlaceOrderRequest>(context.Request);
        if (body.Error is { } unreadable)
        {
            return ApiResults.Error(unreadable);
        }

        var order = body.Value!.Validate();
        if (order.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var userId = user.UserId();
        var (items, paymentMethod, shippingAddress) = order.Value;
        var command = new PlaceOrderCommand(userId, items, paymentMethod, shippingAddress);
        var stored = await grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(userId, key.Value)).Execute(command, RequestHash.Compute(context, command));
        if (stored.Status != StatusCodes.Status201Created)
        {
            return ApiResults.Stored(stored);
        }

        // The record holds the order as placed; the buyer sees it as the saga left it.
        using var placed = JsonDocument.Parse(stored.Body);
        var id = placed.RootElement.GetProperty("id").GetString()!;
        var current = await grains.Reference<IOrderGrain>(id).Get(userId);
        return current.Value is { } view ? ApiResults.Json(view, StatusCodes.Status201Created) : ApiResults.Stored(stored);
    }

    public static async Task<IResult> ListOrders(
        ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant, [FromQuery] string? status, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        var party = await PartyAsync(caller, merchant, grains);
        if (party.Error is { } notOwned)
        {
            return ApiResults.Error(notOwned);
        }

        var (buyer, seller) = party.Value!.StartsWith(PrefixedId.Merchant, StringComparison.Ordinal) ? (null, party.Value) : (party.Value, (string?)null);
        return ApiResults.Ok(await grains.GetGrain<IOrderListGrain>(0).List(buyer, seller, status, pageSize.Value, startingAfter));
    }

    public static Task<IResult> GetOrder(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnOrderAsync(id, caller, merchant, grains, (order, party) => order.Get(party));

    public static Task<IResult> ListOrderEvents(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnOrderAsync(id, caller, merchant, grains, (order, party) => order.Events(party));

    public static Task<IResult> CancelOrder(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        OnOrderAsync(id, user, null, grains, (order, buyer) => order.Cancel(buyer));

    public static Task<IResult> RefundOrder(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnOrderAsync(id, caller, merchant, grains, (order, party) => order.Refund(party, CallerActor.Of(caller)), merchantOnly: true);

    public static async Task<IResult> ListStuckOrders([FromServices] IGrainFactory grains, [FromQuery] string? limit)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit ? ApiResults.Error(badLimit) : ApiResults.Json(await grains.GetGrain<IOrderListGrain>(0).Stuck(pageSize.Value));
    }

    public static async Task<IResult> RetryOrder(string id, [FromServices] IGrainFactory grains) =>
        PrefixedId.IsValid(id, PrefixedId.Order)
            ? ApiResults.Ok(await grains.Reference<IOrderGrain>(id).Retry("operator"))
            : ApiResults.Error(ApiError.NotFound("No such order."));

    /// <summary>
    /// Who asks: the merchant (API key, or a session naming a merchant it owns) or the signed-in buyer; with
    /// <paramref name="merchantOnly"/>, a session must name its merchant.
    /// </summary>
    private static async Task<Parsed<string>> PartyAsync(ClaimsPrincipal caller, string? merchant, IGrainFactory grains, bool merchantOnly = false) =>
        merchantOnly || CallerActor.IsApiKey(caller) || merchant is not null
            ? await DashboardMerchant.ResolveAsync(caller, string.IsNullOrEmpty(merchant) ? null : merchant, grains)
            : caller.UserId();

    private static async Task<IResult> OnOrderAsync<T>(
        string id, ClaimsPrincipal caller, string? merchant, IGrainFactory grains, Func<IOrderGrain, string, Task<Outcome<T>>> call, bool merchantOnly = false)
    {
        if (!PrefixedId.IsValid(id, PrefixedId.Order))
        {
            return ApiResults.Error(ApiError.NotFound("No such order."));
        }

        var party = await PartyAsync(caller, merchant, grains, merchantOnly);
        return party.Error is { } notOwned ? ApiResults.Error(notOwned) : ApiResults.Ok(await call(grains.Reference<IOrderGrain>(id), party.Value!));
    }
}
