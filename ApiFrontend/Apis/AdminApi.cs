using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Payouts;
using Payments.Grains.Interfaces.Reconciliation;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/admin: operator endpoints, behind the operator token (policy Admin).</summary>
public static class AdminApi
{
    /// <summary>The largest bank statement taken: 100,000 lines of a typical 60–100 bytes fit with room to spare.</summary>
    public const int MaxStatementBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin").WithTags(ApiTags.Admin).RequireAuthorization(ApiAuth.AdminPolicy);

        group.MapGet("/ledger/audit", AuditLedger)
            .WithName(nameof(AuditLedger))
            .WithSummary("Audit the ledger")
            .WithDescription("Checks the double-entry ledger as a whole: every currency's accounts sum to zero, every account's balance row equals the sum of its postings, and every transaction has all its legs. `balanced` is false if any check fails.")
            .Produces<LedgerAuditReport>();
        group.MapGet("/cluster", GetCluster)
            .WithName(nameof(GetCluster))
            .WithSummary("List the cluster's silos")
            .WithDescription("Orleans' membership view: every silo incarnation it knows (dead ones included), with each active silo's activation count.")
            .Produces<ClusterView>();
        group.MapGet("/streams/dead-letters", GetDeadLetters)
            .WithName(nameof(GetDeadLetters))
            .WithSummary("List stream dead letters")
            .WithDescription("Stream events a subscriber (feed fan-out, notifications, payouts) kept failing on past the delivery deadline, oldest first. `startingAfter` is a dead letter id.")
            .Produces<DeadLetterPage>();
        group.MapGet("/payouts/pending", GetPendingPayouts)
            .WithName(nameof(GetPendingPayouts))
            .WithSummary("List payouts owed")
            .WithDescription("Withdrawals the bank has not confirmed yet: counts and totals per currency, and the `limit` oldest with their attempts and last error.")
            .Produces<PendingPayouts>();
        group.MapPost("/merchants/{merchantId}/settlements", RunSettlement)
            .WithName(nameof(RunSettlement))
            .WithSummary("Settle a merchant now")
            .WithDescription("Runs the merchant's daily settlement now: captured money older than the settlement delay, net of fees and refunds, moves from pending to available, and the whole available balance goes out as a payout to the merchant's bank. `settlement` and `payout` are null when there was nothing to move. Running it again moves nothing twice.")
            .Produces<SettlementRun>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/reconciliation", Reconcile)
            .WithName(nameof(Reconcile))
            .WithSummary("Reconcile a bank statement")
            .WithDescription("Takes the bank's statement as `text/csv` (UTF-8, header `date,reference,amount,currency`, amounts in minor units, up to 100,000 lines of at most 1 KiB, 16 MiB in all) and checks it against what was sent to the bank: user withdrawals (their transaction id) and merchant payouts (`po_…`). The report, stored, lists the matched lines, `missingInBank` (ours, confirmed within the statement's dates, that the bank does not list), `missingInternally` (bank lines we have no record of) and `amountMismatch`. A malformed statement is a 400 whose `line` and `field` say where.")
            .Accepts<string>("text/csv")
            .Produces<ReconciliationReport>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.UnsupportedMediaType, ErrorCodes.RequestTooLarge);
        group.MapGet("/reconciliation", ListReconciliations)
            .WithName(nameof(ListReconciliations))
            .WithSummary("List reconciliation reports")
            .WithDescription("Newest first, each with its summary; `startingAfter` is a report id.")
            .Produces<ReconciliationReportPage>();
        group.MapGet("/reconciliation/{id}", GetReconciliation)
            .WithName(nameof(GetReconciliation))
            .WithSummary("Get a reconciliation report")
            .Produces<ReconciliationReport>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/card_networks/{network}/faults", SetCardNetworkFaults)
            .WithName(nameof(SetCardNetworkFaults))
            .WithSummary("Inject failures into a simulated card network")
            .WithDescription("Sets the simulated network's (visa, mastercard, amex or discover) added latency, share of failing calls and whether it is down, for every silo (each rereads it within a second). Absent fields reset to none. Each network's client has its own circuit breaker, so one failing network leaves the others at full speed.")
            .Accepts<NetworkFaultsRequest>("application/json")
            .Produces<NetworkFaults>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.ValidationError);
        group.MapPost("/wallets/{userId}/freeze", FreezeWallet)
            .WithName(nameof(FreezeWallet))
            .WithSummary("Freeze a wallet")
            .WithDescription("A frozen wallet still receives money but refuses sends, payments of requests and withdrawals (`ACCOUNT_FROZEN`). Freezing a frozen wallet changes nothing.")
            .Produces<WalletView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/wallets/{userId}/unfreeze", UnfreezeWallet)
            .WithName(nameof(UnfreezeWallet))
            .WithSummary("Unfreeze a wallet")
            .Produces<WalletView>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>GET /v1/admin/ledger/audit → {balanced, currencies, …}.</summary>
    public static async Task<IResult> AuditLedger([FromServices] IGrainFactory grains) =>
        ApiResults.Json(await grains.Reference<ILedgerAuditGrain>(GrainKeys.LedgerAudit).Audit());

    /// <summary>
    /// GET /v1/admin/cluster → {silos: [{address, generation, status, startedAt, lastHeartbeat, activations}]}: Orleans'
    /// membership view (every silo incarnation it knows, dead ones included) with each live silo's activation count.
    /// </summary>
    public static async Task<IResult> GetCluster([FromServices] IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var members = await management.GetDetailedHosts(onlyActive: false);
        var active = members.Where(member => member.Status == SiloStatus.Active).Select(member => member.SiloAddress).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var activations = active.Zip(statistics).ToDictionary(pair => pair.First, pair => pair.Second.ActivationCount);
        return ApiResults.Json(new ClusterView(members
            .OrderBy(member => member.SiloAddress.Endpoint.ToString(), StringComparer.Ordinal).ThenBy(member => member.SiloAddress.Generation)
            .Select(member => new SiloView(
                member.SiloAddress.Endpoint.ToString(),
                member.SiloAddress.Generation,
                ClusterView.StatusName(member.Status),
                member.StartTime,
                member.IAmAliveTime,
                activations.GetValueOrDefault(member.SiloAddress)))
            .ToList()));
    }

    /// <summary>
    /// GET /v1/admin/streams/dead-letters?limit=&amp;startingAfter= → {data: [{id, consumer, grain, eventId, …, error}], hasMore}:
    /// stream events a subscriber kept failing on, oldest first; startingAfter is the last id of the previous page.
    /// </summary>
    public static async Task<IResult> GetDeadLetters(
        [FromServices] StreamDeadLetterTable deadLetters,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter,
        CancellationToken cancellationToken)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } invalidLimit)
        {
            return ApiResults.Error(invalidLimit);
        }

        long after = 0;
        if (startingAfter is not null && (!long.TryParse(startingAfter, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 1))
        {
            return ApiResults.Error(ApiError.Validation("startingAfter", "startingAfter must be a dead letter id (a positive integer)."));
        }

        var (items, hasMore) = await deadLetters.ListAsync(after, pageSize.Value, cancellationToken);
        return ApiResults.Json(new DeadLetterPage(items, hasMore));
    }

    /// <summary>
    /// GET /v1/admin/payouts/pending?limit= → {count, totals: [{currency, count, amount}], oldest: [{transactionId, userId,
    /// amount, currency, attempts, lastError, requestedAt}]}: withdrawals the bank has not confirmed yet, oldest first.
    /// </summary>
    public static async Task<IResult> GetPendingPayouts([FromServices] IGrainFactory grains, [FromQuery] string? limit)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } invalidLimit)
        {
            return ApiResults.Error(invalidLimit);
        }

        return ApiResults.Json(await grains.Reference<IPayoutReportGrain>(GrainKeys.PayoutReport).Pending(pageSize.Value));
    }

    /// <summary>POST /v1/admin/merchants/{merchantId}/settlements → 200 {merchantId, settlement, payout}.</summary>
    public static async Task<IResult> RunSettlement(string merchantId, [FromServices] IGrainFactory grains) =>
        PrefixedId.IsValid(merchantId, PrefixedId.Merchant)
            ? ApiResults.Ok(await grains.Reference<ISettlementGrain>(merchantId).RunNow())
            : ApiResults.Error(ApiError.NotFound("No such merchant."));

    /// <summary>POST /v1/admin/reconciliation (text/csv) → 201 the report; a malformed statement is a 400 naming line and field.</summary>
    public static async Task<IResult> Reconcile(HttpContext context, [FromServices] IGrainFactory grains)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return ApiResults.Error(new ApiError(ErrorCodes.UnsupportedMediaType, "A bank statement is sent as Content-Type: text/csv, in UTF-8."));
        }

        if (request.ContentLength > MaxStatementBytes)
        {
            return ApiResults.Error(new ApiError(ErrorCodes.RequestTooLarge, $"A bank statement is at most {MaxStatementBytes} bytes."));
        }

        // Statements are larger than the JSON bodies Kestrel's limit is set for; Kestrel still stops this one at its own.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxStatementBytes;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var (lines, problem) = BankStatement.Parse(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
        if (problem is not null)
        {
            return ApiResults.Error(new ApiError(ErrorCodes.ValidationError, $"Line {problem.Line}: {problem.Message}", problem.Field, Line: problem.Line));
        }

        return ApiResults.Json(await grains.Reference<IReconciliationGrain>(GrainKeys.Reconciliation).Reconcile(lines), StatusCodes.Status201Created);
    }

    public static async Task<IResult> ListReconciliations([FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IReconciliationGrain>(GrainKeys.Reconciliation).List(pageSize.Value, startingAfter));
    }

    public static async Task<IResult> GetReconciliation(string id, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<IReconciliationGrain>(GrainKeys.Reconciliation).Get(id));

    /// <summary>POST /v1/admin/wallets/{userId}/freeze → 200 wallet; frozen wallets refuse sends and withdrawals.</summary>
    /// <summary>POST /v1/admin/card_networks/{network}/faults {latencyMs?, errorRate?, down?} → 200 the faults now in force.</summary>
    public static async Task<IResult> SetCardNetworkFaults(string network, HttpContext context, [FromServices] IGrainFactory grains)
    {
        if (!Grains.Interfaces.Cards.CardNumber.Networks.Contains(network))
        {
            return ApiResults.Error(new ApiError(ErrorCodes.NotFound, $"No card network {network}; the networks are {string.Join(", ", Grains.Interfaces.Cards.CardNumber.Networks)}."));
        }

        var body = await JsonBody.ReadAsync<NetworkFaultsRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var faults = body.Value!.Validate();
        if (faults.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        await grains.Reference<ICardNetworkSimulatorGrain>(network).SetFaults(faults.Value!);
        return ApiResults.Json(faults.Value!);
    }

    public static Task<IResult> FreezeWallet(string userId, [FromServices] IGrainFactory grains) => SetFrozenAsync(userId, frozen: true, grains);

    /// <summary>POST /v1/admin/wallets/{userId}/unfreeze → 200 wallet.</summary>
    public static Task<IResult> UnfreezeWallet(string userId, [FromServices] IGrainFactory grains) => SetFrozenAsync(userId, frozen: false, grains);

    private static async Task<IResult> SetFrozenAsync(string userId, bool frozen, IGrainFactory grains)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            return ApiResults.Error(ApiError.NotFound("No such wallet."));
        }

        return ApiResults.Ok(await grains.Reference<IWalletGrain>(id.Key).SetFrozen(frozen));
    }
}

