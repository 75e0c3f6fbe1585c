using System.Globalization;
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
using Payments.Grains.Interfaces.Analytics;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Users;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>
/// /v1/payments, /v1/refunds and /v1/balance: a merchant's payments through its API keys, and a user's confirmation
/// of a wallet payment through their session. Every mutation takes an Idempotency-Key, scoped to the merchant (or
/// the user), and everything is validated before any grain is called.
/// </summary>
public static class MerchantPaymentsApi
{
    private static readonly string[] s_paymentErrors = [ErrorCodes.NotFound, ErrorCodes.IdempotencyKeyReused];

    public static IEndpointRouteBuilder MapMerchantPaymentsApi(this IEndpointRouteBuilder routes)
    {
        var payments = routes.MapGroup("/payments").WithTags(ApiTags.MerchantPayments);
        var merchant = payments.MapGroup("/").RequireAuthorization(ApiAuth.MerchantPolicy);
        var dashboard = payments.MapGroup("/").RequireAuthorization(ApiAuth.DashboardPolicy);

        merchant.MapPost("/", CreateMerchantPayment)
            .WithName(nameof(CreateMerchantPayment))
            .WithSummary("Create a payment")
            .WithDescription("By card: the card is authorized at once (Stripe's test numbers drive the outcome); with `captureMethod` automatic (the default) it is captured too, otherwise it waits for `capture` (or is voided after 7 days). A decline answers 402 `CARD_DECLINED` with its `declineCode` and the payment, recorded as failed. By wallet: the payment waits for the paying user to confirm it. Every payment is scored for fraud first (`fraud`: score 0-100, outcome, reasons); at or above the merchant's block threshold (75 by default) it answers 402 `FRAUD_BLOCKED` without asking the network, from its review threshold (50) it is authorized but flagged. The card number and CVC are never stored, logged or returned.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<CreateMerchantPaymentRequest>("application/json")
            .Produces<PaymentView>(StatusCodes.Status201Created)
            .Produces<CardDeclinedBody>(StatusCodes.Status402PaymentRequired)
            .ProducesErrors(ErrorCodes.InvalidAmount, ErrorCodes.InvalidCurrency, ErrorCodes.CurrencyMismatch, ErrorCodes.InvalidCard, ErrorCodes.RecipientNotFound, ErrorCodes.IdempotencyKeyReused, ErrorCodes.ServiceUnavailable);
        dashboard.MapGet("/", ListMerchantPayments)
            .WithName(nameof(ListMerchantPayments))
            .WithSummary("List payments")
            .WithDescription("The merchant's payments, newest first, filtered by `status`, creation time (`created[gte]`, `created[lt]`, ISO 8601), amount (`amount[gte]`, `amount[lte]`), `currency` and `customerReference`; `q` matches an id prefix or a word of the description. `startingAfter` is a payment id; pages stay stable while payments are added. With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<PaymentPage>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.InvalidCurrency);
        dashboard.MapGet("/{id}", GetMerchantPayment)
            .WithName(nameof(GetMerchantPayment))
            .WithSummary("Get a payment")
            .WithDescription("A payment of another merchant, as an unknown id, is 404. With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<PaymentView>()
            .ProducesErrors(ErrorCodes.NotFound);
        dashboard.MapGet("/{id}/events", ListMerchantPaymentEvents)
            .WithName(nameof(ListMerchantPaymentEvents))
            .WithSummary("List a payment's events")
            .WithDescription("Its history, oldest first: created, authorized, captured, refunded, canceled, expired, failed, with who did it (an API key, a user, the system) and when. With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<PaymentEventPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        dashboard.MapPost("/{id}/capture", CaptureMerchantPayment)
            .WithName(nameof(CaptureMerchantPayment))
            .WithSummary("Capture a payment")
            .WithDescription("Captures all (`amount` absent) or part of an authorized payment; the rest of the authorization is released. The fee (2.9% + 30¢ by default) goes to the platform; the rest is the merchant's pending balance. With the owner's session instead of an API key, `merchant` names the merchant.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<CapturePaymentRequest>("application/json")
            .Produces<PaymentView>(StatusCodes.Status201Created)
            .ProducesErrors([.. s_paymentErrors, ErrorCodes.PaymentNotCapturable, ErrorCodes.InvalidAmount, ErrorCodes.AccountFrozen]);
        dashboard.MapPost("/{id}/void", VoidMerchantPayment)
            .WithName(nameof(VoidMerchantPayment))
            .WithSummary("Void a payment")
            .WithDescription("Releases an authorized, uncaptured payment, or cancels a wallet payment its payer has not confirmed: nothing is charged. With the owner's session instead of an API key, `merchant` names the merchant.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Produces<PaymentView>(StatusCodes.Status201Created)
            .ProducesErrors([.. s_paymentErrors, ErrorCodes.PaymentNotCancelable]);
        payments.MapPost("/{id}/confirm", ConfirmMerchantPayment)
            .RequireAuthorization()
            .WithName(nameof(ConfirmMerchantPayment))
            .WithSummary("Confirm a wallet payment")
            .WithDescription("The paying user confirms a merchant's wallet payment with their session. Without a body, the amount is held on their wallet (and, for automatic capture, paid at once). With `{card, cryptogram, atc}`, a card of their card wallet pays in-app: its network checks the device's cryptogram over this payment's amount, currency and merchant, and refuses a counter (`atc`) it has seen before (402 `CARD_DECLINED`, `declineCode` invalid_cryptogram or replayed_cryptogram; the payment still awaits confirmation). A suspended or removed card, or one on a lost device, cannot pay.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<ConfirmPaymentRequest>("application/json")
            .Produces<PaymentView>(StatusCodes.Status201Created)
            .Produces<CardDeclinedBody>(StatusCodes.Status402PaymentRequired)
            .ProducesErrors([.. s_paymentErrors, ErrorCodes.PaymentNotConfirmable, ErrorCodes.InsufficientFunds, ErrorCodes.AccountFrozen, ErrorCodes.CardStatusConflict, ErrorCodes.DeviceLost, ErrorCodes.NetworkUnavailable, ErrorCodes.ValidationError]);

        routes.MapPost("/refunds", CreateRefund)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithTags(ApiTags.MerchantPayments)
            .WithName(nameof(CreateRefund))
            .WithSummary("Refund a payment")
            .WithDescription("Returns all that is left (`amount` absent) or part of a succeeded payment to where it came from; several refunds may follow each other but never exceed what was captured, even when sent at once. The fee is not returned. The merchant's pending balance may go below zero; later captures make it up before any payout. With the owner's session instead of an API key, `merchant` names the merchant.")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<CreateRefundRequest>("application/json")
            .Produces<RefundView>(StatusCodes.Status201Created)
            .ProducesErrors([.. s_paymentErrors, ErrorCodes.PaymentNotRefundable, ErrorCodes.RefundExceedsCaptured, ErrorCodes.InvalidAmount]);
        routes.MapGet("/balance", GetMerchantBalance)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithTags(ApiTags.MerchantPayments)
            .WithName(nameof(GetMerchantBalance))
            .WithSummary("Get the merchant's balance")
            .WithDescription("Per currency: `pending` is captured money not yet settled (it may be negative after refunds), `available` is settled and ready to pay out. With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<MerchantBalance>()
            .ProducesErrors(ErrorCodes.NotFound);
        routes.MapGet("/analytics/summary", GetAnalyticsSummary)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithTags(ApiTags.MerchantPayments)
            .WithName(nameof(GetAnalyticsSummary))
            .WithSummary("Summarize payments")
            .WithDescription("Per `interval` (day, week or month; day when absent) of `timezone` (an IANA name; UTC when absent) and per currency, from `from` (inclusive) to `to` (exclusive; ISO 8601, at most 400 days apart; the last 30 days when absent): attempts, captures, declines, refunds, captured volume, refunded amount, refund rate, decline rate and average ticket. Read from hourly buckets the payment stream keeps, so a new payment shows after its event is delivered (usually within a second). With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<AnalyticsSummary>()
            .ProducesErrors(ErrorCodes.ValidationError, ErrorCodes.NotFound);
        return routes;
    }

    /// <summary>POST /v1/payments with Idempotency-Key → 201 the payment, or 402 with the declined payment.</summary>
    public static async Task<IResult> CreateMerchantPayment(
        HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromServices] CardFingerprints fingerprints, [FromServices] UserLookup userLookup)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<CreateMerchantPaymentRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var input = body.Value!.Validate();
        if (input.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var payment = input.Value!;
        var method = payment.Method;
        CardDetails? card = null;
        string? payer = null;
        if (method.User is { } user)
        {
            var resolved = await userLookup.ResolveAsync(user);
            if (resolved is null)
            {
                return ApiResults.Error(new ApiError(ErrorCodes.RecipientNotFound, "No user has this id or username.", "paymentMethod.user"));
            }

            payer = resolved.Id;
        }
        else
        {
            card = new CardDetails(method.Number!, method.ExpMonth, method.ExpYear, method.Cvc!, fingerprints.Of(method.Number!), method.Brand!, Grains.Interfaces.Cards.CardNumber.Last4(method.Number!));
        }

        var merchantId = caller.MerchantId();
        var command = new CreateMerchantPaymentCommand(
            merchantId, CallerActor.Of(caller), payment.Amount, payment.Currency, payment.CaptureMethod, card, payer, payment.Description, payment.Metadata, payment.CustomerReference,
            payment.ClientIp, payment.CustomerCountry);
        return await ExecuteAsync(context, grains, merchantId, key.Value, command);
    }

    /// <summary>GET /v1/payments?… → {data, hasMore}, newest first.</summary>
    public static async Task<IResult> ListMerchantPayments(
        ClaimsPrincipal caller,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? status,
        [FromQuery(Name = "created[gte]")] string? createdFrom,
        [FromQuery(Name = "created[lt]")] string? createdBefore,
        [FromQuery(Name = "amount[gte]")] string? amountFrom,
        [FromQuery(Name = "amount[lte]")] string? amountTo,
        [FromQuery] string? currency,
        [FromQuery] string? customerReference,
        [FromQuery] string? q,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter,
        [FromQuery] string? merchant)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        var from = Instant(createdFrom, "created[gte]");
        var before = Instant(createdBefore, "created[lt]");
        var low = Amount(amountFrom, "amount[gte]");
        var high = Amount(amountTo, "amount[lte]");
        if ((from.Error ?? before.Error ?? low.Error ?? high.Error) is { } badFilter)
        {
            return ApiResults.Error(badFilter);
        }

        if ((CreateMerchantPaymentRequest.Text(q, "q", 100) ?? CreateMerchantPaymentRequest.Text(customerReference, "customerReference", PaymentLimits.MaxCustomerReferenceLength)) is { } badText)
        {
            return ApiResults.Error(badText);
        }

        // A currency no payment can have is a mistake to say, not an empty page (the grain checks the status so).
        if (currency is not null && !Currency.TryParse(currency, out _))
        {
            return ApiResults.Error(ApiError.UnknownCurrency());
        }

        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        if (scope.Error is { } notOwned)
        {
            return ApiResults.Error(notOwned);
        }

        var filter = new PaymentFilter(status, from.Value, before.Value, low.Value, high.Value, currency, customerReference, string.IsNullOrEmpty(q) ? null : q);
        return ApiResults.Ok(await grains.Reference<IMerchantPaymentListGrain>(scope.Value!).List(filter, pageSize.Value, startingAfter));
    }

    public static async Task<IResult> GetMerchantPayment(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned ? ApiResults.Error(notOwned)
            : Known(id) ? ApiResults.Ok(await grains.Reference<IMerchantPaymentGrain>(id).Get(scope.Value!))
            : NoSuchPayment();
    }

    public static async Task<IResult> ListMerchantPaymentEvents(string id, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned ? ApiResults.Error(notOwned)
            : Known(id) ? ApiResults.Ok(await grains.Reference<IMerchantPaymentGrain>(id).Events(scope.Value!))
            : NoSuchPayment();
    }

    /// <summary>POST /v1/payments/{id}/capture {amount?} with Idempotency-Key → 201 the payment.</summary>
    public static async Task<IResult> CaptureMerchantPayment(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        long? amount = null;
        if (HasBody(context.Request))
        {
            var body = await JsonBody.ReadAsync<CapturePaymentRequest>(context.Request);
            if (body.Error is { } invalid)
            {
                return ApiResults.Error(invalid);
            }

            amount = body.Value!.Amount;
            if (amount is < PaymentLimits.MinAmount or > PaymentLimits.MaxAmount)
            {
                return ApiResults.Error(ApiError.InvalidAmount($"amount must be an integer from {PaymentLimits.MinAmount} to {PaymentLimits.MaxAmount} minor units."));
            }
        }

        if (!Known(id))
        {
            return NoSuchPayment();
        }

        return await DashboardMerchant.RunAsync(caller, merchant, grains, merchantId =>
            ExecuteAsync(context, grains, merchantId, key.Value, new CaptureMerchantPaymentCommand(merchantId, CallerActor.Of(caller), id, amount)));
    }

    /// <summary>POST /v1/payments/{id}/void with Idempotency-Key → 201 the canceled payment.</summary>
    public static async Task<IResult> VoidMerchantPayment(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        if (!Known(id))
        {
            return NoSuchPayment();
        }

        return await DashboardMerchant.RunAsync(caller, merchant, grains, merchantId =>
            ExecuteAsync(context, grains, merchantId, key.Value, new VoidMerchantPaymentCommand(merchantId, CallerActor.Of(caller), id)));
    }

    /// <summary>POST /v1/payments/{id}/confirm with Idempotency-Key (the payer's session) → 201 the payment.</summary>
    public static async Task<IResult> ConfirmMerchantPayment(string id, HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        DeviceCardPayment? card = null;
        if (HasBody(context.Request))
        {
            var body = await JsonBody.ReadAsync<ConfirmPaymentRequest>(context.Request);
            if (body.Error is { } invalid)
            {
                return ApiResults.Error(invalid);
            }

            var payment = body.Value!.Validate();
            if (payment.Error is { } error)
            {
                return ApiResults.Error(error);
            }

            card = payment.Value;
        }

        if (!Known(id))
        {
            return NoSuchPayment();
        }

        var userId = caller.UserId();
        return await ExecuteAsync(context, grains, userId, key.Value, new ConfirmMerchantPaymentCommand(userId, id, card));
    }

    /// <summary>POST /v1/refunds {payment, amount?, reason?} with Idempotency-Key → 201 the refund.</summary>
    public static async Task<IResult> CreateRefund(HttpContext context, ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<CreateRefundRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var refund = body.Value!;
        if (refund.Amount is < PaymentLimits.MinAmount or > PaymentLimits.MaxAmount)
        {
            return ApiResults.Error(ApiError.InvalidAmount($"amount must be an integer from {PaymentLimits.MinAmount} to {PaymentLimits.MaxAmount} minor units."));
        }

        if (CreateMerchantPaymentRequest.Text(refund.Reason, "reason", PaymentLimits.MaxReasonLength) is { } badReason)
        {
            return ApiResults.Error(badReason);
        }

        if (!Known(refund.Payment))
        {
            return ApiResults.Error(new ApiError(ErrorCodes.NotFound, "No such payment.", "payment"));
        }

        return await DashboardMerchant.RunAsync(caller, merchant, grains, merchantId =>
            ExecuteAsync(context, grains, merchantId, key.Value, new RefundMerchantPaymentCommand(merchantId, CallerActor.Of(caller), refund.Payment!, refund.Amount, refund.Reason)));
    }

    public static async Task<IResult> GetMerchantBalance(ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant)
    {
        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned ? ApiResults.Error(notOwned) : ApiResults.Ok(await grains.Reference<IMerchantGrain>(scope.Value!).Balance());
    }

    /// <summary>GET /v1/analytics/summary?from=&amp;to=&amp;interval=&amp;timezone= → the intervals with payments, oldest first.</summary>
    public static async Task<IResult> GetAnalyticsSummary(
        ClaimsPrincipal caller,
        [FromServices] IGrainFactory grains,
        [FromServices] TimeProvider time,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? interval,
        [FromQuery] string? timezone,
        [FromQuery] string? merchant)
    {
        var start = Instant(from, "from");
        var end = Instant(to, "to");
        if ((start.Error ?? end.Error) is { } badInstant)
        {
            return ApiResults.Error(badInstant);
        }

        var until = end.Value ?? time.GetUtcNow();
        var since = start.Value ?? until.AddDays(-30);
        if (since >= until || until - since > AnalyticsIntervals.MaxSpan)
        {
            return ApiResults.Error(ApiError.Validation("from", $"from must be before to, and at most {AnalyticsIntervals.MaxSpan.TotalDays:0} days before it."));
        }

        var grouping = interval ?? AnalyticsIntervals.Day;
        if (!AnalyticsIntervals.All.Contains(grouping))
        {
            return ApiResults.Error(ApiError.Validation("interval", $"interval is one of {string.Join(", ", AnalyticsIntervals.All)}."));
        }

        // IANA names only: PostgreSQL groups by them, and it knows no Windows names.
        var zone = timezone ?? "UTC";
        if (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId || found.Id != zone)
        {
            return ApiResults.Error(ApiError.Validation("timezone", "timezone is an IANA time zone name, e.g. Europe/Paris or UTC."));
        }

        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        if (scope.Error is { } notOwned)
        {
            return ApiResults.Error(notOwned);
        }

        return ApiResults.Json(await grains.Reference<IMerchantAnalyticsGrain>(scope.Value!).Summary(since, until, grouping, zone));
    }

    private static async Task<IResult> ExecuteAsync(HttpContext context, IGrainFactory grains, string scope, IdempotencyKey key, IdempotentCommand command)
    {
        var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(scope, key));
        return ApiResults.Stored(await grain.Execute(command, RequestHash.Compute(context, command)));
    }

    private static bool HasBody(HttpRequest request) => request.ContentLength is > 0 || request.HasJsonContentType();

    private static Parsed<DateTimeOffset?> Instant(string? text, string field) =>
        text is null ? new Parsed<DateTimeOffset?>(null, null)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && instant.Year is >= 1970 and <= 9999 ? instant
        : ApiError.Validation(field, $"{field} is an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z.");

    private static Parsed<long?> Amount(string? text, string field) =>
        text is null ? new Parsed<long?>(null, null)
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= PaymentLimits.MaxAmount ? amount
        : ApiError.Validation(field, $"{field} is an integer from 0 to {PaymentLimits.MaxAmount} minor units.");

    private static bool Known(string? id) => PrefixedId.IsValid(id, PrefixedId.Payment);

    private static IResult NoSuchPayment() => ApiResults.Error(ApiError.NotFound("No such payment."));
}
