using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;
using Payments.Grains.Interfaces.Webhooks;

namespace Payments.Grains.Webhooks;

/// <summary>
/// One webhook endpoint: its settings and secrets, and the sender of its deliveries. Deliveries wait in memory in due
/// order; at most <see cref="WebhookOptions.MaxConcurrentDeliveries"/> are in flight, so a slow endpoint holds only
/// its own slots. A failed attempt is due again after the next delay of the schedule (with jitter); the last failure
/// ends the delivery as failed. The table is the truth: a reminder, registered while deliveries are pending, brings the
/// endpoint back after a deactivation or a crash and reloads what is due. A 410 disables the endpoint at once; so does
/// failing without a success for <see cref="WebhookOptions.DisableAfterFailingFor"/>.
/// </summary>
[GrainType("webhook-endpoint")]
public sealed partial class WebhookEndpointGrain(
    WebhookStore store,
    WebhookSender sender,
    WebhookAttemptLog attempts,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain, IRemindable
{
    private const string RetryReminder = "webhook-retries";
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);
    private const int LoadLimit = 1_000;

    private readonly PriorityQueue<string, DateTimeOffset> _due = new();
    // Deliveries queued or in flight, so a delivery enqueued twice (a stream redelivery, a reminder reload) is sent once.
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingDelivery> _loaded = new(StringComparer.Ordinal);
    private WebhookEndpointRow? _endpoint;
    private int _inFlight;
    private bool _reminderRegistered;
    private IGrainTimer? _timer;

    private WebhookOptions Settings => options.Value;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _endpoint = await store.LoadEndpointAsync(Id);
        if (_endpoint is { IsEnabled: true })
        {
            await LoadAsync(null);
        }
    }

    public async Task<Outcome<WebhookEndpointWithSecret>> Create(string merchantId, string url, IReadOnlyList<string> enabledEvents, string? description)
    {
        if (_endpoint is not null)
        {
            return PaymentError.Validation("id", "This endpoint id is taken.");
        }

        if (await CheckAsync(url, enabledEvents, description) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var row = new WebhookEndpointRow(
            Id, merchantId, url, description, [.. enabledEvents.Distinct(StringComparer.Ordinal)], WebhookEndpointRow.Enabled, null,
            WebhookSignature.NewSecret(), null, null, null, TruncateToMicroseconds(now));
        if (!await store.CreateEndpointAsync(row, Settings.MaxEndpointsPerMerchant))
        {
            return PaymentError.Validation("url", $"A merchant has at most {Settings.MaxEndpointsPerMerchant} webhook endpoints.");
        }

        _endpoint = row;
        return row.WithSecret();
    }

    public Task<Outcome<WebhookEndpointView>> Get(string merchantId) =>
        Task.FromResult(Owned(merchantId) is { } endpoint ? endpoint.View() : (Outcome<WebhookEndpointView>)NotFound());

    public async Task<Outcome<WebhookEndpointView>> Update(string merchantId, WebhookEndpointChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (Owned(merchantId) is not { } endpoint)
        {
            return NotFound();
        }

        var url = change.Url ?? endpoint.Url;
        var events = change.EnabledEvents ?? endpoint.EnabledEvents;
        var description = change.Description ?? endpoint.Description;
        if (await CheckAsync(url, events, description) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var (status, reason, failingSince) = change.Disabled switch
        {
            true => (WebhookEndpointRow.Disabled, "disabled by the merchant", endpoint.FailingSince),
            false => (WebhookEndpointRow.Enabled, (string?)null, (DateTimeOffset?)null),
            null => (endpoint.Status, endpoint.DisabledReason, endpoint.FailingSince),
        };
        var updated = endpoint with
        {
            Url = url, EnabledEvents = [.. events.Distinct(StringComparer.Ordinal)], Description = description,
            Status = status, DisabledReason = reason, FailingSince = failingSince,
        };
        if (updated.IsEnabled)
        {
            await store.SaveEndpointAsync(updated, now);
        }
        else
        {
            await store.DisableAsync(updated, now);
            DropQueue();
        }

        _endpoint = updated;
        return updated.View();
    }

    public async Task<Outcome<WebhookEndpointView>> Delete(string merchantId)
    {
        if (Owned(merchantId) is not { } endpoint)
        {
            return NotFound();
        }

        await store.DeleteEndpointAsync(Id);
        _endpoint = null;
        DropQueue();
        await StopReminderAsync();
        DeactivateOnIdle();
        return endpoint.View();
    }

    public async Task<Outcome<WebhookEndpointWithSecret>> RollSecret(string merchantId)
    {
        if (Owned(merchantId) is not { } endpoint)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var rolled = endpoint with { Secret = WebhookSignature.NewSecret(), PreviousSecret = endpoint.Secret, PreviousSecretExpiresAt = now + Settings.RolledSecretOverlap };
        await store.SaveEndpointAsync(rolled, now);
        _endpoint = rolled;
        return rolled.WithSecret();
    }

    public async Task<Outcome<WebhookDeliveryView>> SendTest(string merchantId)
    {
        if (Owned(merchantId) is not { } endpoint)
        {
            return NotFound();
        }

        if (!endpoint.IsEnabled)
        {
            return PaymentError.Validation("id", "The endpoint is disabled; enable it first.");
        }

        var now = time.GetUtcNow();
        var ping = WebhookEvents.Create(PrefixedId.New(PrefixedId.Event), WebhookEventTypes.TestPing, now, new { endpoint = endpoint.Id });
        await store.RecordEventAsync(merchantId, ping);
        var added = await store.AddDeliveriesAsync(ping.Id, [endpoint.Id], "test", now);
        var deliveryId = added[endpoint.Id].Single();
        await LoadAsync([deliveryId]);
        return new WebhookDeliveryView(deliveryId, ping.Id, ping.Type, "test", "pending", now, now, []);
    }

    public async Task<Outcome<WebhookDeliveryPage>> Deliveries(string merchantId, string? status, int limit, string? startingAfter)
    {
        if (Owned(merchantId) is null)
        {
            return NotFound();
        }

        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (status is not null and not ("pending" or "succeeded" or "failed"))
        {
            return PaymentError.Validation("status", "status is one of pending, succeeded, failed.");
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.WebhookDelivery))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is the id of the last delivery of the previous page.");
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListDeliveriesAsync(Id, status, limit, startingAfter), limit);
        return new WebhookDeliveryPage(rows, hasMore);
    }

    public Task Enqueue(IReadOnlyList<string> deliveryIds)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        var fresh = deliveryIds.Where(id => !_known.Contains(id)).ToList();
        return fresh.Count == 0 || _endpoint is not { IsEnabled: true } ? Task.CompletedTask : LoadAsync(fresh);
    }

    public Task Accept(IReadOnlyList<PendingDelivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return _endpoint is { IsEnabled: true } ? QueueAsync(deliveries) : Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_endpoint is not { IsEnabled: true })
        {
            await StopReminderAsync();
            return;
        }

        await LoadAsync(null);
        if (_known.Count == 0)
        {
            await StopReminderAsync();
        }
    }

    /// <summary>Loads pending deliveries (the given ones, or the earliest due) into the queue.</summary>
    private async Task LoadAsync(IReadOnlyList<string>? ids) => await QueueAsync(await store.LoadPendingAsync(Id, ids, LoadLimit));

    /// <summary>Queues deliveries not already queued or in flight, and sends what is due.</summary>
    private async Task QueueAsync(IReadOnlyList<PendingDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            if (_known.Add(delivery.Id))
            {
                _loaded[delivery.Id] = delivery;
                _due.Enqueue(delivery.Id, delivery.Due);
            }
        }

        if (_known.Count > 0)
        {
            await StartReminderAsync();
            _timer ??= this.RegisterGrainTimer(_ => Pump(), new GrainTimerCreationOptions(s_tick, s_tick) { KeepAlive = true, Interleave = true });
        }

        await Pump();
    }

    /// <summary>Starts every due delivery there is a slot for; each records its attempt and frees its slot when done.</summary>
    private Task Pump()
    {
        if (_endpoint is not { IsEnabled: true } endpoint)
        {
            return Task.CompletedTask;
        }

        var now = time.GetUtcNow();
        while (_inFlight < Settings.MaxConcurrentDeliveries && _due.TryPeek(out var id, out var due) && due <= now)
        {
            _due.Dequeue();
            _inFlight++;
            _ = SendAsync(endpoint, _loaded[id]);
        }

        if (_known.Count == 0 && _timer is not null)
        {
            _timer.Dispose();
            _timer = null;
        }

        return Task.CompletedTask;
    }

    private async Task SendAsync(WebhookEndpointRow endpoint, PendingDelivery delivery)
    {
        var attempt = delivery.Attempts + 1;
        WebhookAttemptResult result;
        try
        {
            result = await sender.SendAsync(endpoint.Url, delivery.EventId, delivery.Body, endpoint.SigningSecrets(time.GetUtcNow()), CancellationToken.None);
        }
        finally
        {
            // The slot is the receiver's: free it as soon as it has answered, not after the attempt is recorded.
            _inFlight--;
        }

        await Pump();
        var now = time.GetUtcNow();
        var retryAt = result.Succeeded || result.Gone || attempt >= Settings.Schedule.Count ? (DateTimeOffset?)null : now + Jittered(Settings.Schedule[attempt]);
        var status = result.Succeeded ? "succeeded" : retryAt is null ? "failed" : "pending";
        try
        {
            await attempts.RecordAsync(new DeliveryAttempt(delivery.Id, attempt, result, now, status, retryAt));
            LogAttempt(logger, Id, delivery.Id, attempt, result.StatusCode, result.LatencyMs, status);
            if (retryAt is { } due && _endpoint is { IsEnabled: true })
            {
                _loaded[delivery.Id] = delivery with { Attempts = attempt };
                _due.Enqueue(delivery.Id, due);
            }
            else
            {
                Forget(delivery.Id);
            }

            await NoteHealthAsync(result, now);
        }
        catch (Exception failure)
        {
            // Not recorded: the table still says pending, so the next reload (reminder) sends it again.
            LogRecordFailed(logger, failure, Id, delivery.Id);
            Forget(delivery.Id);
        }
    }

    /// <summary>Clears the failing mark on a success; disables the endpoint on a 410 or after failing for too long.</summary>
    private async Task NoteHealthAsync(WebhookAttemptResult result, DateTimeOffset now)
    {
        if (_endpoint is not { IsEnabled: true } endpoint)
        {
            return;
        }

        string? disableReason = null;
        if (result.Succeeded)
        {
            if (endpoint.FailingSince is not null)
            {
                _endpoint = endpoint with { FailingSince = null };
                await store.SaveEndpointAsync(_endpoint, now);
            }
        }
        else if (result.Gone)
        {
            disableReason = "the endpoint answered 410 Gone";
        }
        else if (endpoint.FailingSince is not { } since)
        {
            _endpoint = endpoint with { FailingSince = now };
            await store.SaveEndpointAsync(_endpoint, now);
        }
        else if (now - since >= Settings.DisableAfterFailingFor)
        {
            disableReason = $"every attempt failed for {Settings.DisableAfterFailingFor.TotalDays:0.#} days";
        }

        if (disableReason is not null)
        {
            var disabled = endpoint with { Status = WebhookEndpointRow.Disabled, DisabledReason = disableReason };
            await store.DisableAsync(disabled, now);
            _endpoint = disabled;
            LogDisabled(logger, Id, disableReason);
            DropQueue();
        }
    }

    private TimeSpan Jittered(TimeSpan delay) =>
        delay * (1 + Settings.RetryJitter * ((Random.Shared.NextDouble() * 2) - 1));

    private void Forget(string deliveryId)
    {
        _known.Remove(deliveryId);
        _loaded.Remove(deliveryId);
    }

    /// <summary>Forgets every queued delivery (the endpoint was disabled or deleted); those in flight finish and are recorded.</summary>
    private void DropQueue()
    {
        while (_due.TryDequeue(out var id, out _))
        {
            Forget(id);
        }
    }

    private async Task StartReminderAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(RetryReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            _reminderRegistered = true;
        }
    }

    private async Task StopReminderAsync()
    {
        if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderRegistered = false;
    }

    private async Task<PaymentError?> CheckAsync(string url, IReadOnlyList<string> enabledEvents, string? description)
    {
        if (enabledEvents.Count is < 1 or > 32 || enabledEvents.Any(type => type != WebhookEventTypes.All && !WebhookEventTypes.Subscribable.Contains(type)))
        {
            return PaymentError.Validation("enabledEvents", $"enabledEvents lists 1 to 32 of: *, {string.Join(", ", WebhookEventTypes.Subscribable)}.");
        }

        if (description is { Length: > 500 })
        {
            return PaymentError.Validation("description", "description has at most 500 characters.");
        }

        if (url.Length > 2_048)
        {
            return PaymentError.Validation("url", "url has at most 2,048 characters.");
        }

        return await WebhookTargets.ProblemAsync(url, Settings, CancellationToken.None) is { } problem ? PaymentError.Validation("url", problem) : null;
    }

    private WebhookEndpointRow? Owned(string merchantId) => _endpoint is { } endpoint && endpoint.MerchantId == merchantId ? endpoint : null;

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such webhook endpoint.", "id");

    // PostgreSQL keeps microseconds: the creation time answered now is the one every later read answers.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);

    [LoggerMessage(1, LogLevel.Debug, "Webhook endpoint {Endpoint}: delivery {Delivery} attempt {Attempt} answered {StatusCode} in {LatencyMs} ms, now {Status}")]
    private static partial void LogAttempt(ILogger logger, string endpoint, string delivery, int attempt, int? statusCode, int latencyMs, string status);

    [LoggerMessage(2, LogLevel.Warning, "Webhook endpoint {Endpoint}: the attempt of delivery {Delivery} could not be recorded; it will be sent again")]
    private static partial void LogRecordFailed(ILogger logger, Exception failure, string endpoint, string delivery);

    [LoggerMessage(3, LogLevel.Warning, "Webhook endpoint {Endpoint} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, string endpoint, string reason);
}
