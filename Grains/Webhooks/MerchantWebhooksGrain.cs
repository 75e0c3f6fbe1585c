using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Infrastructure.References;

namespace Payments.Grains.Webhooks;

/// <summary>A merchant's webhook endpoints, listed from their rows, and resends of its events: queries, so any silo may answer.</summary>
[StatelessWorker]
[GrainType("merchant-webhooks")]
public sealed class MerchantWebhooksGrain(WebhookStore store, TimeProvider time) : Grain, IMerchantWebhooksGrain
{
    public async Task<Outcome<WebhookEndpointPage>> Endpoints(int limit, string? startingAfter)
    {
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.WebhookEndpoint))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is the id of the last endpoint of the previous page.");
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListEndpointsAsync(this.GetPrimaryKeyString(), limit, startingAfter), limit);
        return new WebhookEndpointPage(rows, hasMore);
    }

    public async Task<Outcome<WebhookResend>> Resend(string eventId)
    {
        var (type, endpoints) = PrefixedId.IsValid(eventId, PrefixedId.Event) ? await store.EndpointsTakingAsync(this.GetPrimaryKeyString(), eventId) : (null, []);
        if (type is null)
        {
            return new PaymentError(ErrorCodes.NotFound, "No such event.", "id");
        }

        var added = await store.AddDeliveriesAsync(eventId, endpoints, "resend", time.GetUtcNow());
        foreach (var endpoint in added)
        {
            await GrainFactory.Reference<IWebhookEndpointGrain>(endpoint.Key).Enqueue([.. endpoint]);
        }

        return new WebhookResend(eventId, [.. added.SelectMany(endpoint => endpoint)]);
    }
}
