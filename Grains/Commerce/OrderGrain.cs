using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Payments.Grains.Commerce.Fulfilment;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.Grains.Commerce;

/// <summary>
/// An order and its orchestrated saga (see <see cref="IOrderGrain"/>). The order's row holds the saga's progress; a
/// step is logged as started before it runs, and its result is saved (with the order's events and audit records)
/// before the next one starts. Every step's outside effect is idempotent by order and step (idempotency keys for the
/// payment, the order id for stock and fulfilment), so a step run again after a crash changes nothing twice. A
/// reminder resumes an order whose silo died between two steps; a timer runs a retry while the grain is active.
/// </summary>
[GrainType("order")]
public sealed partial class OrderGrain(
    OrderStore store,
    IdempotencyRecordStore records,
    IFulfilmentService fulfilment,
    IOptions<CommerceOptions> options,
    TimeProvider time,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    private const string ResumeReminder = "resume-saga";
    private const string SagaActor = "system:saga";

    private OrderRecord? _order;
    private int _version;
    private int _events;
    private bool _loaded;
    private IGrainTimer? _retryTimer;

    private string Id => this.GetPrimaryKeyString();

    public async Task<IdempotentOutcome> Place(PlaceOrderCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_loaded)
        {
            throw new InvalidOperationException($"Order {Id} exists; ids are new for each order.");
        }

        _loaded = true;
        var priced = await PriceAsync(command);
        if (priced.Error is { } refused)
        {
            return new IdempotentOutcome(refused.ToResponse(), null);
        }

        var now = time.GetUtcNow();
        var (merchant, currency, lines) = priced.Value!;
        var amount = lines.Sum(line => line.Amount);
        var view = new OrderView(
            Id, merchant, command.UserId, OrderStatus.Pending, lines, amount, currency, command.PaymentMethod, command.ShippingAddress,
            null, null, null, null, [], now, now);
        var record = new OrderRecord(view, SagaProgress.Begin.Starting(SagaSteps.Reserve));
        var response = PaymentsJson.Created(view);
        var created = new OrderChange("order.created", Buyer(command.UserId), new Dictionary<string, object?> { ["order"] = view });
        var (hash, standing, saved) = await records.SaveWithRecordAsync(
            stamp, response, OrderStore.Insert(record, created, [AuditRecords.Insert(merchant, Buyer(command.UserId), "order.created", "order", Id, null, new { status = view.Status, amount, currency }, now)]));
        if (!saved)
        {
            return new IdempotentOutcome(standing, hash);
        }

        (_order, _version, _events) = (record, 1, 1);
        LogPlaced(logger, Id, merchant, amount, currency);
        await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        await RunSagaAsync();
        return new IdempotentOutcome(response, hash);
    }

    public async Task<Outcome<OrderView>> Get(string party)
    {
        if (await PartyAsync(party) is not { } order)
        {
            return NotFound();
        }

        var view = order.View;
        return view with { Transactions = view.Payment is { } payment ? await store.TransactionsAsync(payment) : [] };
    }

    public async Task<Outcome<OrderEventPage>> Events(string party) =>
        await PartyAsync(party) is null ? NotFound() : await store.EventsAsync(Id);

    public async Task<Outcome<OrderView>> Cancel(string buyerId)
    {
        if (await PartyAsync(buyerId) is not { } order || order.View.Buyer != buyerId)
        {
            return NotFound();
        }

        if (order.Progress.CancelRequested)
        {
            return order.View;
        }

        if (order.Progress.Mode != SagaModes.Forward || order.View.Status is not (OrderStatus.Pending or OrderStatus.Paid))
        {
            return new PaymentError(ErrorCodes.OrderNotCancelable, $"The order is {order.View.Status}; only a pending or paid order can be canceled.");
        }

        await SaveAsync(
            order with { Progress = order.Progress with { Mode = SagaModes.Compensating, CancelRequested = true, Attempts = 0, RetryAt = null, LastError = null } },
            [new OrderChange("order.cancel_requested", Buyer(buyerId), new Dictionary<string, object?>())],
            [AuditRecords.Insert(order.View.Merchant, Buyer(buyerId), "order.cancel_requested", "order", Id, new { status = order.View.Status }, null, time.GetUtcNow())]);
        await RunSagaAsync();
        return _order!.View;
    }

    public async Task<Outcome<OrderView>> Refund(string merchantId, string actor)
    {
        if (await PartyAsync(merchantId) is not { } order || order.View.Merchant != merchantId)
        {
            return NotFound();
        }

        if (order.Progress.Mode == SagaModes.Refunding || order.View.Status == OrderStatus.Refunded)
        {
            return order.View;
        }

        if (order.View.Status != OrderStatus.Fulfilled)
        {
            return new PaymentError(ErrorCodes.OrderNotRefundable, $"The order is {order.View.Status}; only a fulfilled order can be refunded.");
        }

        await SaveAsync(
            order with { Progress = order.Progress with { Mode = SagaModes.Refunding, Attempts = 0, RetryAt = null, LastError = null } },
            [new OrderChange("order.refund_requested", actor, new Dictionary<string, object?>())],
            [AuditRecords.Insert(merchantId, actor, "order.refund_requested", "order", Id, new { status = order.View.Status }, null, time.GetUtcNow())]);
        await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        await RunSagaAsync();
        return _order!.View;
    }

    public async Task<Outcome<OrderView>> Retry(string actor)
    {
        await LoadOnceAsync();
        if (_order is not { } order)
        {
            return NotFound();
        }

        if (order.View.Stuck is null)
        {
            return order.View;
        }

        await SaveAsync(
            order with { View = order.View with { Stuck = null }, Progress = order.Progress with { Attempts = 0, RetryAt = null } },
            [new OrderChange("order.retried", actor, new Dictionary<string, object?> { ["stuck"] = null })],
            [AuditRecords.Insert(order.View.Merchant, actor, "order.retried", "order", Id, new { stuck = order.View.Stuck }, null, time.GetUtcNow())]);
        await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumePeriod, options.Value.ResumePeriod);
        await RunSagaAsync();
        return _order!.View;
    }

    public async Task ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        await LoadOnceAsync();
        if (_order is null || _order.Progress.Mode == SagaModes.Finished || _order.View.Stuck is not null)
        {
            await UnregisterResumeAsync();
            return;
        }

        if (_retryTimer is null)
        {
            await RunSagaAsync();
        }
    }

    /// <summary>The order's lines priced now (prices frozen from here on), its merchant and currency; or why it cannot be ordered.</summary>
    private async Task<Outcome<(string Merchant, string Currency, IReadOnlyList<OrderLine> Lines)>> PriceAsync(PlaceOrderCommand command)
    {
        var products = await Task.WhenAll(command.Items.Select(item => GrainFactory.Reference<IProductGrain>(item.Product).Get()));
        var lines = new List<OrderLine>(products.Length);
        for (var i = 0; i < products.Length; i++)
        {
            var field = $"items[{i}].product";
            if (products[i].Value is not { } product)
            {
                return new PaymentError(ErrorCodes.NotFound, "No such product.", field);
            }

            if (!product.Active || product.DeletedAt is not null)
            {
                return new PaymentError(ErrorCodes.ProductUnavailable, $"{product.Name} is not for sale.", field);
            }

            if (product.Merchant != products[0].Value!.Merchant)
            {
                return PaymentError.Validation("items", "An order's products are all from one merchant.");
            }

            var quantity = command.Items[i].Quantity;
            lines.Add(new OrderLine(product.Id, product.Name, product.Price, quantity, checked(product.Price * quantity)));
        }

        if (command.PaymentMethod.Card is { } card)
        {
            var payable = await GrainFactory.Reference<ICardTokenGrain>(card).Payable(command.UserId);
            if (payable.Error is { } unusable)
            {
                return unusable with { Field = "paymentMethod.card" };
            }
        }

        var first = products[0].Value!;
        return (first.Merchant, first.Currency, lines);
    }

    private async Task<OrderRecord?> PartyAsync(string party)
    {
        await LoadOnceAsync();
        return _order is { } order && (order.View.Buyer == party || order.View.Merchant == party) ? order : null;
    }

    private async Task LoadOnceAsync()
    {
        if (!_loaded)
        {
            _loaded = true;
            if (await store.GetAsync(Id) is { } found)
            {
                (_order, _version, _events) = found;
            }
        }
    }

    /// <summary>
    /// Saves the order's next state with its events and the statements that go with it (audit records, stock levels).
    /// Another activation having saved first means this one's view is stale: it stops here and rereads on its next call.
    /// </summary>
    private async Task SaveAsync(OrderRecord next, IReadOnlyList<OrderChange> changes, IEnumerable<NpgsqlBatchCommand> also)
    {
        var stamped = next with { View = next.View with { UpdatedAt = time.GetUtcNow() } };
        if (!await store.SaveAsync(stamped, _version, _events + 1, changes, also))
        {
            _loaded = false;
            _order = null;
            throw new InvalidOperationException($"Order {Id} was saved by another activation; this one rereads it.");
        }

        (_order, _version, _events) = (stamped, _version + 1, _events + changes.Count);
    }

    private async Task UnregisterResumeAsync()
    {
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static string Buyer(string userId) => $"user:{userId}";

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such order.");

    [LoggerMessage(1, LogLevel.Information, "Order {OrderId} placed with merchant {MerchantId} for {Amount} {Currency}")]
    private static partial void LogPlaced(ILogger logger, string orderId, string merchantId, long amount, string currency);
}
