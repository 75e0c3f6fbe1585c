using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/webhook_endpoints and /v1/events: a merchant's webhooks, through its API key or its owner's session (naming it in <c>merchant</c>).</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var endpoints = routes.MapGroup("/webhook_endpoints").WithTags(ApiTags.Webhooks).RequireAuthorization(ApiAuth.DashboardPolicy);
        endpoints.MapPost("/", CreateWebhookEndpoint)
            .WithName(nameof(CreateWebhookEndpoint))
            .WithSummary("Create a webhook endpoint")
            .WithDescription("Events of the merchant's payments go to `url`, signed with the endpoint's secret (`whsec_…`, in this answer only). At most 16 endpoints a merchant.")
            .Accepts<CreateWebhookEndpointRequest>("application/json")
            .Produces<WebhookEndpointWithSecret>(StatusCodes.Status201Created);
        endpoints.MapGet("/", ListWebhookEndpoints)
            .WithName(nameof(ListWebhookEndpoints))
            .WithSummary("List webhook endpoints")
            .WithDescription("Newest first; never a secret. `startingAfter` is an endpoint id.")
            .Produces<WebhookEndpointPage>();
        endpoints.MapGet("/{id}", GetWebhookEndpoint)
            .WithName(nameof(GetWebhookEndpoint))
            .WithSummary("Get a webhook endpoint")
            .WithDescription("Its URL, events and status (`disabledReason` says why it is disabled); never its secret.")
            .Produces<WebhookEndpointView>()
            .ProducesErrors(ErrorCodes.NotFound);
        endpoints.MapPatch("/{id}", UpdateWebhookEndpoint)
            .WithName(nameof(UpdateWebhookEndpoint))
            .WithSummary("Update a webhook endpoint")
            .WithDescription("Changes its URL, events or description, or disables (`disabled: true`) or enables it again.")
            .Accepts<UpdateWebhookEndpointRequest>("application/json")
            .Produces<WebhookEndpointView>()
            .ProducesErrors(ErrorCodes.NotFound);
        endpoints.MapDelete("/{id}", DeleteWebhookEndpoint)
            .WithName(nameof(DeleteWebhookEndpoint))
            .WithSummary("Delete a webhook endpoint")
            .WithDescription("Nothing more is sent to it; its delivery log goes with it.")
            .Produces<WebhookEndpointView>()
            .ProducesErrors(ErrorCodes.NotFound);
        endpoints.MapPost("/{id}/roll_secret", RollWebhookSecret)
            .WithName(nameof(RollWebhookSecret))
            .WithSummary("Roll a webhook endpoint's secret")
            .WithDescription("Issues a new secret (in this answer only). For 24 hours the old one signs too: each webhook carries two signatures, so the receiver can switch without losing one.")
            .Produces<WebhookEndpointWithSecret>()
            .ProducesErrors(ErrorCodes.NotFound);
        endpoints.MapPost("/{id}/test", SendWebhookTest)
            .WithName(nameof(SendWebhookTest))
            .WithSummary("Send a test event")
            .WithDescription("Sends a `test.ping` event to this endpoint now, with its retries like any other; the delivery log shows how it went.")
            .Produces<WebhookDeliveryView>(StatusCodes.Status202Accepted)
            .ProducesErrors(ErrorCodes.NotFound);
        endpoints.MapGet("/{id}/deliveries", ListWebhookDeliveries)
            .WithName(nameof(ListWebhookDeliveries))
            .WithSummary("List an endpoint's deliveries")
            .WithDescription("Newest first, each with every attempt: status code, latency, error and the first 1 KiB of the answer. Filter by `status` (pending, succeeded, failed); `startingAfter` is a delivery id.")
            .Produces<WebhookDeliveryPage>()
            .ProducesErrors(ErrorCodes.NotFound);

        routes.MapGroup("/events").WithTags(ApiTags.Webhooks).RequireAuthorization(ApiAuth.DashboardPolicy)
            .MapPost("/{id}/resend", ResendEvent)
            .WithName(nameof(ResendEvent))
            .WithSummary("Resend an event")
            .WithDescription("Sends one of the merchant's events (its `webhook-id`) again, as a new delivery to every enabled endpoint that takes its type.")
            .Produces<WebhookResend>(StatusCodes.Status202Accepted)
            .ProducesErrors(ErrorCodes.NotFound);
        return routes;
    }

    /// <summary>POST /v1/webhook_endpoints {url, enabledEvents, description?} → 201 the endpoint with its secret.</summary>
    public static async Task<IResult> CreateWebhookEndpoint(HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var body = await JsonBody.ReadAsync<CreateWebhookEndpointRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var request = body.Value!;
        var endpoint = grains.Reference<IWebhookEndpointGrain>(PrefixedId.New(PrefixedId.WebhookEndpoint));
        return await DashboardMerchant.RunAsync(caller, merchant, grains, async merchantId =>
            ApiResults.Created(await endpoint.Create(merchantId, request.Url ?? string.Empty, request.EnabledEvents ?? [], request.Description)));
    }

    public static async Task<IResult> ListWebhookEndpoints(
        ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : await DashboardMerchant.RunAsync(caller, merchant, grains, async merchantId =>
                ApiResults.Ok(await grains.Reference<IMerchantWebhooksGrain>(merchantId).Endpoints(pageSize.Value, startingAfter)));
    }

    public static Task<IResult> GetWebhookEndpoint(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => ApiResults.Ok(await endpoint.Get(merchantId)));

    /// <summary>PATCH /v1/webhook_endpoints/{id} {url?, enabledEvents?, description?, disabled?} → the endpoint.</summary>
    public static async Task<IResult> UpdateWebhookEndpoint(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var body = await JsonBody.ReadAsync<UpdateWebhookEndpointRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var request = body.Value!;
        var change = new WebhookEndpointChange(request.Url, request.EnabledEvents, request.Description, request.Disabled);
        return await OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => ApiResults.Ok(await endpoint.Update(merchantId, change)));
    }

    public static Task<IResult> DeleteWebhookEndpoint(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => ApiResults.Ok(await endpoint.Delete(merchantId)));

    public static Task<IResult> RollWebhookSecret(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => ApiResults.Ok(await endpoint.RollSecret(merchantId)));

    public static Task<IResult> SendWebhookTest(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => Accepted(await endpoint.SendTest(merchantId)));

    public static async Task<IResult> ListWebhookDeliveries(
        string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant, [FromQuery] string? status, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit ? ApiResults.Error(badLimit)
            : await OnEndpoint(id, caller, merchant, grains, async (endpoint, merchantId) => ApiResults.Ok(await endpoint.Deliveries(merchantId, status, pageSize.Value, startingAfter)));
    }

    public static Task<IResult> ResendEvent(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant) =>
        DashboardMerchant.RunAsync(caller, merchant, grains, async merchantId => Accepted(await grains.Reference<IMerchantWebhooksGrain>(merchantId).Resend(id)));

    // The caller's merchant (its API key's, or one its owner names), then the endpoint: an id of another form is 404.
    private static Task<IResult> OnEndpoint(
        string id, ClaimsPrincipal caller, string? merchant, IGrainFactory grains, Func<IWebhookEndpointGrain, string, Task<IResult>> action) =>
        DashboardMerchant.RunAsync(caller, merchant, grains, merchantId => Known(id) ? action(Endpoint(grains, id), merchantId) : Task.FromResult(NoSuchEndpoint()));

    private static IResult Accepted<T>(Outcome<T> outcome) =>
        outcome.Error is { } error ? ApiResults.Error(error) : ApiResults.Json(outcome.Value, StatusCodes.Status202Accepted);

    private static IWebhookEndpointGrain Endpoint(IGrainFactory grains, string id) => grains.Reference<IWebhookEndpointGrain>(id);

    // An id of the wrong form never reaches a grain: activating one for any string would let a caller create activations at will.
    private static bool Known(string id) => PrefixedId.IsValid(id, PrefixedId.WebhookEndpoint);

    private static IResult NoSuchEndpoint() => ApiResults.Error(new PaymentError(ErrorCodes.NotFound, "No such webhook endpoint.", "id"));
}
