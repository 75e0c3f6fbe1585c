using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/webhook_endpoints. Checked by the endpoint's grain, which resolves the URL's host.</summary>
public sealed record CreateWebhookEndpointRequest(
    [property: Required, MaxLength(2_048), Description("Where events are posted: https (http only where the platform allows it), never a loopback, private, link-local or metadata address.")] string? Url,
    [property: Required, Description("Event types to send (payment.created, payment.authorized, payment.succeeded, payment.captured, payment.refunded, payment.canceled, payment.expired, payment.failed, payout.paid, payout.failed), or [\"*\"] for all.")] List<string>? EnabledEvents,
    [property: MaxLength(500), Description("A note for the merchant's own use.")] string? Description);

/// <summary>PATCH /v1/webhook_endpoints/{id}: absent fields are left as they are.</summary>
public sealed record UpdateWebhookEndpointRequest(
    [property: MaxLength(2_048), Description("A new URL, checked as at creation.")] string? Url,
    [property: Description("A new list of event types, or [\"*\"].")] List<string>? EnabledEvents,
    [property: MaxLength(500)] string? Description,
    [property: Description("true stops deliveries (pending ones end as failed); false enables the endpoint again.")] bool? Disabled);
