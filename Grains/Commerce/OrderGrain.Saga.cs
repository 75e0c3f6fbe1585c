using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Commerce;

/// <summary>
/// The saga's engine: pick the next step from the progress, log it as started, run it, save what it did, and go on
/// until the order is final, a step must wait for a retry, or a compensation is out of attempts (the operator queue).
/// </summary>
public sealed partial class OrderGrain
{
    private static readonly string[] s_forward = [SagaSteps.Reserve, SagaSteps.Authorize, SagaSteps.Capture, SagaSteps.Fulfil, SagaSteps.Sell];

    /// <summary>What a step did: its effect (the order's next view, events, statements to save with it), a refusal, or a retryable failure.</summary>
    private abstract record StepResult
    {
        public sealed record Done(OrderView View, IReadOnlyList<OrderChange> Changes, IReadOnlyList<NpgsqlBatchCommand> Also, string? Detail) : StepResult;

        /// <summary>A final answer with no effect (out of stock, declined): the saga compensates what came before.</summary>
        public sealed record Refused(PaymentError Error) : StepResult;

        /// <summary>The step may have worked or not (a party down, a timeout): run it again later, with the same keys.</summary>
        public sealed record Failed(string Error) : StepResult;
    }

    private async Task RunSagaAsync()
    {
        _retryTimer?.Dispose();
        _retryTimer = null;
        while (_order is { } order && order.Progress.Mode != SagaModes.Finished && order.View.Stuck is null)
        {
            var now = time.GetUtcNow();
            if (order.Progress.RetryAt is { } retryAt && retryAt > now)
            {
                ScheduleRetry(retryAt - now);
                return;
            }

            var step = NextStep(order) ?? throw new InvalidOperationException($"Order {Id} has no next step but is not finished.");
            if (!order.Progress.HasStarted(step))
            {
                // Logged before it runs: a compensation after a crash undoes every step that may have had its effect.
                await SaveAsync(order with { Progress = order.Progress.Starting(step) }, [], []);
                order = _order!;
            }

            StepResult result;
            try
            {
                result = options.Value.FailSteps.Contains(step)
                    ? new StepResult.Failed("injected failure")
                    : await RunStepAsync(step, order);
            }
            catch (Exception error) when (error is not InvalidOperationException)
            {
                LogStepError(logger, error, Id, step);
                result = new StepResult.Failed(error.Message);
            }

            await ApplyAsync(step, result);
        }
    }

    /// <summary>The step to run next, or null when the mode has nothing left.</summary>
    private static string? NextStep(OrderRecord order)
    {
        var progress = order.Progress;
        return progress.Mode switch
        {
            SagaModes.Forward => s_forward.FirstOrDefault(step => !progress.IsDone(step)),
            SagaModes.Compensating =>
                progress.HasStarted(SagaSteps.Fulfil) && !progress.IsDone(SagaSteps.Revoke) ? SagaSteps.Revoke
                : progress.HasStarted(SagaSteps.Authorize) && !progress.IsDone(SagaSteps.Void) && !progress.IsDone(SagaSteps.Refund)
                    ? progress.IsDone(SagaSteps.Capture) ? SagaSteps.Refund : SagaSteps.Void
                : progress.HasStarted(SagaSteps.Reserve) && !progress.IsDone(SagaSteps.Release) ? SagaSteps.Release
                : null,
            SagaModes.Refunding =>
                !progress.IsDone(SagaSteps.Refund) ? SagaSteps.Refund
                : !progress.IsDone(SagaSteps.Revoke) ? SagaSteps.Revoke
                : null,
            _ => null,
        };
    }

    private async Task ApplyAsync(string step, StepResult result)
    {
        // The step may have saved the order itself (the authorization saves its payment's id first).
        var order = _order!;
        var now = time.GetUtcNow();
        var forward = order.Progress.Mode == SagaModes.Forward;
        switch (result)
        {
            case StepResult.Done done:
                {
                    var log = new SagaStep(step, forward ? "done" : "compensated", done.Detail, now);
                    var next = new OrderRecord(done.View with { Saga = [.. done.View.Saga, log] }, order.Progress.Finished(step));
                    var audit = StatusAudit(order.View, next.View, SagaActor, now);
                    await AdvanceAsync(next, done.Changes, [.. done.Also, .. audit]);
                    return;
                }

            case StepResult.Refused refused when forward:
                {
                    // A refused reservation aborted its whole transaction: nothing to release. A refused authorization may
                    // have created its payment, which the compensation closes.
                    var failure = new OrderFailure(refused.Error.Code, refused.Error.Message, step, refused.Error.Field);
                    var started = step == SagaSteps.Reserve ? order.Progress.Started.Where(started => started != step).ToList() : order.Progress.Started;
                    var progress = order.Progress with { Mode = SagaModes.Compensating, Started = started, Attempts = 0, RetryAt = null, LastError = null };
                    var view = order.View with { Failure = failure, Saga = [.. order.View.Saga, new SagaStep(step, "failed", refused.Error.Code, now)] };
                    LogStepRefused(logger, Id, step, refused.Error.Code);
                    await AdvanceAsync(new OrderRecord(view, progress), [Change("order.step_failed", new() { ["step"] = step, ["failure"] = failure })], []);
                    return;
                }

            default:
                await RetryOrGiveUpAsync(step, order, result is StepResult.Failed failed ? failed.Error : ((StepResult.Refused)result).Error.Message, now);
                return;
        }
    }

    /// <summary>
    /// A failed attempt: tried again after a backoff while attempts are left. Out of attempts, a forward step gives up
    /// and the saga compensates; a compensation (or selling the stock of a delivered order, which nothing undoes) goes to
    /// the operator queue.
    /// </summary>
    private async Task RetryOrGiveUpAsync(string step, OrderRecord order, string error, DateTimeOffset now)
    {
        var forward = order.Progress.Mode == SagaModes.Forward;
        var attempts = order.Progress.Attempts + 1;
        var settings = options.Value;
        if (attempts < (forward ? settings.StepAttempts : settings.CompensationAttempts))
        {
            var delay = Backoff(attempts);
            CommerceMetrics.StepRetries.Add(1, new KeyValuePair<string, object?>("step", step));
            LogStepRetry(logger, Id, step, attempts, delay, error);
            await SaveAsync(
                order with { Progress = order.Progress with { Attempts = attempts, RetryAt = now + delay, LastError = error } },
                [Change("order.step_retry_scheduled", new() { ["step"] = step, ["attempts"] = attempts, ["error"] = error })], []);
            ScheduleRetry(delay);
            return;
        }

        if (forward && step != SagaSteps.Sell)
        {
            var failure = new OrderFailure(ErrorCodes.ServiceUnavailable, $"{step} failed {attempts} times: {error}", step);
            var progress = order.Progress with { Mode = SagaModes.Compensating, Attempts = 0, RetryAt = null, LastError = null };
            var view = order.View with { Failure = failure, Saga = [.. order.View.Saga, new SagaStep(step, "failed", error, now)] };
            LogStepRefused(logger, Id, step, ErrorCodes.ServiceUnavailable);
            await AdvanceAsync(new OrderRecord(view, progress), [Change("order.step_failed", new() { ["step"] = step, ["failure"] = failure })], []);
            return;
        }

        var stuck = new OrderStuck(step, error, attempts, now);
        CommerceMetrics.OrdersStuck.Add(1, new KeyValuePair<string, object?>("step", step));
        LogStuck(logger, Id, step, attempts, error);
        await SaveAsync(
            order with { View = order.View with { Stuck = stuck, Saga = [.. order.View.Saga, new SagaStep(step, "stuck", error, now)] }, Progress = order.Progress with { Attempts = attempts, RetryAt = null, LastError = error } },
            [Change("order.stuck", new() { ["stuck"] = stuck })],
            [AuditRecords.Insert(order.View.Merchant, SagaActor, "order.stuck", "order", Id, null, stuck, now)]);
        await UnregisterResumeAsync();
    }

    /// <summary>
    /// Saves the order with its next step logged as started, or, when its mode has no step left, as final (status,
    /// events, audit), and then stops resuming it.
    /// </summary>
    private async Task AdvanceAsync(OrderRecord next, IReadOnlyList<OrderChange> changes, IReadOnlyList<NpgsqlBatchCommand> also)
    {
        var now = time.GetUtcNow();
        if (NextStep(next) is { } step)
        {
            await SaveAsync(next with { Progress = next.Progress.Starting(step) }, changes, also);
            return;
        }

        var status = next.Progress.Mode switch
        {
            SagaModes.Forward => next.View.Status,
            SagaModes.Refunding => OrderStatus.Refunded,
            _ => next.Progress.CancelRequested ? OrderStatus.Canceled : OrderStatus.Failed,
        };
        var final = next with { View = next.View with { Status = status }, Progress = next.Progress with { Mode = SagaModes.Finished } };
        List<OrderChange> all = [.. changes];
        if (status != next.View.Status)
        {
            all.Add(Change($"order.{status}", new() { ["status"] = status }));
        }

        await SaveAsync(final, all, [.. also, .. StatusAudit(next.View, final.View, SagaActor, now)]);
        CommerceMetrics.OrdersEnded.Add(1, new KeyValuePair<string, object?>("status", status));
        LogEnded(logger, Id, status);
        await UnregisterResumeAsync();
    }

    private NpgsqlBatchCommand[] StatusAudit(OrderView before, OrderView after, string actor, DateTimeOffset now) =>
        before.Status == after.Status
            ? []
            : [AuditRecords.Insert(after.Merchant, actor, $"order.{after.Status}", "order", Id, new { status = before.Status }, new { status = after.Status }, now)];

    private TimeSpan Backoff(int attempt)
    {
        var settings = options.Value;
        var exponential = settings.RetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = exponential < settings.MaxRetryDelay ? exponential : settings.MaxRetryDelay;
        return capped * (1 + (Random.Shared.NextDouble() * 0.2));
    }

    private void ScheduleRetry(TimeSpan delay)
    {
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(_ => RunSagaAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private static OrderChange Change(string type, Dictionary<string, object?> data) => new(type, SagaActor, data);

    [LoggerMessage(2, LogLevel.Warning, "Order {OrderId}: step {Step} failed")]
    private static partial void LogStepError(ILogger logger, Exception error, string orderId, string step);

    [LoggerMessage(3, LogLevel.Information, "Order {OrderId}: step {Step} refused ({Code}); compensating")]
    private static partial void LogStepRefused(ILogger logger, string orderId, string step, string code);

    [LoggerMessage(4, LogLevel.Information, "Order {OrderId}: step {Step} failed (attempt {Attempts}: {Error}); retrying in {Delay}")]
    private static partial void LogStepRetry(ILogger logger, string orderId, string step, int attempts, TimeSpan delay, string error);

    [LoggerMessage(5, LogLevel.Error, "Order {OrderId} is stuck: step {Step} failed {Attempts} times ({Error}); it waits in the operator queue")]
    private static partial void LogStuck(ILogger logger, string orderId, string step, int attempts, string error);

    [LoggerMessage(6, LogLevel.Information, "Order {OrderId} ended {Status}")]
    private static partial void LogEnded(ILogger logger, string orderId, string status);
}
