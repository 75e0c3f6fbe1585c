using System.Text.Json;
using Npgsql;
using Orleans;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Infrastructure.References;

namespace Payments.Grains.Commerce;

/// <summary>
/// The saga's steps. The payment goes through the merchant-payments path under idempotency keys named by the order
/// and the step (the merchant's for create, capture, void and refund; the buyer's for the confirmation that holds the
/// money), so a step run again gets the first answer; stock and fulfilment are idempotent by the order's id.
/// </summary>
public sealed partial class OrderGrain
{
    private Task<StepResult> RunStepAsync(string step, OrderRecord order) => step switch
    {
        SagaSteps.Reserve => ReserveAsync(order.View),
        SagaSteps.Authorize => AuthorizeAsync(order.View),
        SagaSteps.Capture => CaptureAsync(order.View),
        SagaSteps.Fulfil => FulfilAsync(order.View),
        SagaSteps.Sell => ChangeStockAsync(order.View, sell: true),
        SagaSteps.Void => VoidAsync(order.View),
        SagaSteps.Refund => RefundPaymentAsync(order.View, order.View.Payment!),
        SagaSteps.Release => ChangeStockAsync(order.View, sell: false),
        SagaSteps.Revoke => RevokeAsync(order.View),
        _ => throw new InvalidOperationException($"Unknown saga step {step}."),
    };

    private async Task<StepResult> ReserveAsync(OrderView view)
    {
        IReadOnlyList<StockLevel> levels;
        try
        {
            levels = await StockTransactions.Reserve(Id, view.Lines.Select(line => new StockRequest(line.Product, line.Quantity)).ToList());
        }
        catch (Exception error) when (OutOfStock(error) is { } missing)
        {
            var line = view.Lines.Select((line, index) => (line, index)).First(pair => pair.line.Product == missing.Product);
            return new StepResult.Refused(new PaymentError(ErrorCodes.OutOfStock, $"Not enough units of {line.line.Name} left.", $"items[{line.index}].product"));
        }

        return StockDone(view, "order.stock_reserved", "stock.reserved", levels);
    }

    private async Task<StepResult> ChangeStockAsync(OrderView view, bool sell)
    {
        var products = view.Lines.Select(line => line.Product).ToList();
        var levels = sell ? await StockTransactions.Sell(Id, products) : await StockTransactions.Release(Id, products);
        return sell ? StockDone(view, "order.stock_sold", "stock.sold", levels) : StockDone(view, "order.stock_released", "stock.released", levels);
    }

    /// <summary>A committed stock transaction: its event, and the read model's levels and audit records saved with it.</summary>
    private StepResult.Done StockDone(OrderView view, string type, string action, IReadOnlyList<StockLevel> levels)
    {
        var now = time.GetUtcNow();
        var also = levels.SelectMany(level => new[]
        {
            ProductStore.PublishStock(level),
            AuditRecords.Insert(view.Merchant, SagaActor, action, "product", level.Product, null, new { order = Id, available = level.Available, reserved = level.Reserved, sold = level.Sold }, now),
        }).ToList();
        return new StepResult.Done(view, [Change(type, new() { ["stock"] = levels })], also, null);
    }

    /// <summary>Creates the merchant payment (saved on the order at once, so a compensation can close it), then has the buyer's wallet or card authorize it.</summary>
    private async Task<StepResult> AuthorizeAsync(OrderView view)
    {
        var payment = view.Payment;
        if (payment is null)
        {
            var create = new CreateMerchantPaymentCommand(
                view.Merchant, PaymentActor, view.Amount, view.Currency, CaptureMethods.Manual, null, view.Buyer, $"Order {Id}",
                new Dictionary<string, string> { ["order"] = Id }, Id, null, null);
            var created = await ExecuteAsync(create, "create_payment");
            if (created.Failure is { } notCreated)
            {
                return notCreated;
            }

            payment = created.Body.GetProperty("id").GetString()!;
            await SaveAsync(_order! with { View = view with { Payment = payment } }, [Change("order.payment_created", new() { ["payment"] = payment })], []);
            view = _order!.View;
        }

        var confirmed = await ExecuteAsync(new ConfirmMerchantPaymentCommand(view.Buyer, payment, null, view.PaymentMethod.Card), "confirm_payment");
        return confirmed.Failure ?? new StepResult.Done(view, [Change("order.payment_authorized", new() { ["payment"] = payment })], [], payment);
    }

    private async Task<StepResult> CaptureAsync(OrderView view)
    {
        var captured = await ExecuteAsync(new CaptureMerchantPaymentCommand(view.Merchant, PaymentActor, view.Payment!, null), "capture_payment");
        return captured.Failure ?? new StepResult.Done(view with { Status = OrderStatus.Paid }, [Change("order.paid", new() { ["status"] = OrderStatus.Paid })], [], view.Payment);
    }

    private async Task<StepResult> FulfilAsync(OrderView view)
    {
        var license = await fulfilment.DeliverAsync(Id, view.Lines, CancellationToken.None);
        return new StepResult.Done(
            view with { Status = OrderStatus.Fulfilled, LicenseKey = license },
            [Change("order.fulfilled", new() { ["status"] = OrderStatus.Fulfilled, ["licenseKey"] = license })], [], null);
    }

    private async Task<StepResult> RevokeAsync(OrderView view)
    {
        await fulfilment.RevokeAsync(Id, CancellationToken.None);
        return new StepResult.Done(view with { LicenseKey = null }, [Change("order.license_revoked", new() { ["licenseKey"] = null })], [], null);
    }

    /// <summary>
    /// Undoes an authorization whose capture is not known to have happened: voids what is held; refunds it if the
    /// capture did happen after all (its answer was lost); nothing if no payment was made or none holds money.
    /// </summary>
    private async Task<StepResult> VoidAsync(OrderView view)
    {
        var payment = view.Payment ?? await CreatedPaymentAsync(view);
        if (payment is null)
        {
            return new StepResult.Done(view, [], [], "no payment was created");
        }

        var current = await GrainFactory.Reference<IMerchantPaymentGrain>(payment).Get(view.Merchant);
        switch (current.Value?.Status)
        {
            case PaymentStatus.Succeeded:
                return await RefundPaymentAsync(view with { Payment = payment }, payment);
            case PaymentStatus.RequiresConfirmation or PaymentStatus.RequiresCapture:
                var voided = await ExecuteAsync(new VoidMerchantPaymentCommand(view.Merchant, PaymentActor, payment), "void_payment");
                return voided.Failure ?? new StepResult.Done(view with { Payment = payment }, [Change("order.payment_voided", new() { ["payment"] = payment })], [], payment);
            case null:
                return new StepResult.Failed(current.Error?.Message ?? $"Payment {payment} not found.");
            default:
                return new StepResult.Done(view with { Payment = payment }, [], [], $"payment {current.Value.Status}: nothing held");
        }
    }

    private async Task<StepResult> RefundPaymentAsync(OrderView view, string payment)
    {
        if (options.Value.FailSteps.Contains(SagaSteps.Refund))
        {
            return new StepResult.Failed("injected failure");
        }

        var refunded = await ExecuteAsync(new RefundMerchantPaymentCommand(view.Merchant, PaymentActor, payment, null, $"order {Id}"), "refund_payment");
        return refunded.Failure ?? new StepResult.Done(view, [Change("order.payment_refunded", new() { ["payment"] = payment })], [], payment);
    }

    /// <summary>The payment a create that may have run (its answer lost) made: its idempotency record says.</summary>
    private async Task<string?> CreatedPaymentAsync(OrderView view)
    {
        var found = await records.FindAsync(new IdempotencyStamp(view.Merchant, StepKey("create_payment"), StepHash("create_payment")));
        if (found is not { Response.Status: 201 } record)
        {
            return null;
        }

        using var body = JsonDocument.Parse(record.Response.Body);
        return body.RootElement.GetProperty("id").GetString();
    }

    /// <summary>Runs a payment command once under the order's key for <paramref name="step"/>: 2xx is done, 429/5xx retryable, the rest a refusal.</summary>
    private async Task<(JsonElement Body, StepResult? Failure)> ExecuteAsync(IdempotentCommand command, string step)
    {
        var response = await GrainFactory.Reference<IIdempotencyGrain>($"{command.UserId}/{StepKey(step)}").Execute(command, StepHash(step));
        using var document = JsonDocument.Parse(response.Body);
        var body = document.RootElement.Clone();
        if (response.Status is >= 200 and < 300)
        {
            return (body, null);
        }

        var code = body.TryGetProperty("code", out var codeProperty) ? codeProperty.GetString()! : ErrorCodes.ServiceUnavailable;
        var message = body.TryGetProperty("message", out var messageProperty) ? messageProperty.GetString()! : $"The {step} answered {response.Status}.";
        return response.Status is 429 or >= 500
            ? (body, new StepResult.Failed($"{code}: {message}"))
            : (body, new StepResult.Refused(new PaymentError(code, message)));
    }

    private string StepKey(string step) => $"order:{Id}:{step}";

    /// <summary>The request hash of a step's command: fixed per order and step, so a rerun is a repeat and never a reuse.</summary>
    private string StepHash(string step) => $"{Id}:{step}";

    /// <summary>What the payment's events name as the actor of the saga's changes.</summary>
    private string PaymentActor => $"order:{Id}";

    private IStockTransactionGrain StockTransactions => GrainFactory.GetGrain<IStockTransactionGrain>(0);

    /// <summary>The out-of-stock refusal inside a stock transaction's failure, however Orleans wrapped it.</summary>
    private static OutOfStockException? OutOfStock(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is OutOfStockException outOfStock)
            {
                return outOfStock;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(OutOfStock).FirstOrDefault(found => found is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }
}
