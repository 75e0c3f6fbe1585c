using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/wallet: the caller's balances, deposits and withdrawals (idempotent), history, and payments to merchants.</summary>
public static class WalletApi
{
    public static RouteGroupBuilder MapWalletApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/wallet").WithTags(ApiTags.Wallet).RequireAuthorization();

        group.MapGet("/", GetWallet)
            .WithName(nameof(GetWallet))
            .WithSummary("Get your wallet")
            .WithDescription("`balance` is what the ledger holds; `available` is what you can send or withdraw now (the balance less `held`, money reserved by sends still committing); `status` is active or frozen.")
            .Produces<WalletView>();
        MapMovement(group.MapPost("/deposits", CreateDeposit))
            .WithName(nameof(CreateDeposit))
            .WithSummary("Deposit from your bank account")
            .WithDescription("Pulls `amount` cents from your (simulated) linked bank account into your wallet. If the bank does not answer, the deposit is not made and the answer is 503 `SERVICE_UNAVAILABLE`: retry with the same Idempotency-Key.")
            .ProducesErrors(ErrorCodes.InvalidAmount);
        MapMovement(group.MapPost("/withdrawals", CreateWithdrawal))
            .WithName(nameof(CreateWithdrawal))
            .WithSummary("Withdraw to your bank account")
            .WithDescription("Takes `amount` cents from your wallet at once (atomically with a payout owed to you) and pays your bank account; the bank transfer is retried until the bank confirms it. With `speed` instant and `card` (a debit card of your card wallet), the money is pushed to the card through its network instead, for a fee (1.75%, at least 25¢, at most $25) that the receipt's `fee` shows; the card receives `amount` less the fee.")
            .ProducesErrors(ErrorCodes.InvalidAmount, ErrorCodes.InsufficientFunds, ErrorCodes.AccountFrozen, ErrorCodes.NotFound, ErrorCodes.CardStatusConflict, ErrorCodes.DeviceLost);
        group.MapGet("/transactions", GetTransactions)
            .WithName(nameof(GetTransactions))
            .WithSummary("List your wallet's history")
            .WithDescription("Every ledger entry of your wallet, newest first, each with the balance after it. `startingAfter` is an entry's `transactionId`.")
            .Produces<HistoryPage>();
        group.MapGet("/payments", ListWalletPayments)
            .WithName(nameof(ListWalletPayments))
            .WithSummary("List your payments to merchants")
            .WithDescription("Merchants' payments from your wallet, newest first, with the merchant's name. `status=requires_confirmation` lists the ones awaiting your confirmation (`POST /v1/payments/{id}/confirm`). `startingAfter` is a payment id.")
            .Produces<WalletPaymentPage>();
        return group;
    }

    /// <summary>Deposits and withdrawals take the same body and answer alike.</summary>
    private static RouteHandlerBuilder MapMovement(RouteHandlerBuilder endpoint) => endpoint
        .WithMetadata(IdempotencyHeader.Metadata)
        .Accepts<MovementRequest>("application/json")
        .Produces<MovementReceipt>(StatusCodes.Status201Created);

    /// <summary>GET /v1/wallet → {balance, available, held, currency, status}.</summary>
    public static async Task<IResult> GetWallet(ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<IWalletGrain>(user.UserId()).Get());

    /// <summary>POST /v1/wallet/deposits {amount} with Idempotency-Key → 201 {transactionId, balance}.</summary>
    public static Task<IResult> CreateDeposit(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        MoveAsync(context, grains, withdrawal: false, (amount, _) => new DepositCommand(user.UserId(), amount));

    /// <summary>POST /v1/wallet/withdrawals {amount} with Idempotency-Key → 201 {transactionId, balance}.</summary>
    public static Task<IResult> CreateWithdrawal(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        MoveAsync(context, grains, withdrawal: true, (amount, card) => new WithdrawalCommand(user.UserId(), amount, card));

    /// <summary>GET /v1/wallet/transactions?limit=&amp;startingAfter= → {data, hasMore}, newest first.</summary>
    public static async Task<IResult> GetTransactions(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } invalidLimit)
        {
            return ApiResults.Error(invalidLimit);
        }

        string? after = null;
        if (startingAfter is not null)
        {
            if (!TransactionId.TryParse(startingAfter, out var id))
            {
                return ApiResults.Error(ApiError.Validation("startingAfter", "startingAfter must be a transaction id (UUID)."));
            }

            after = id.ToString();
        }

        return ApiResults.Ok(await grains.Reference<IWalletGrain>(user.UserId()).History(pageSize.Value, after));
    }

    /// <summary>GET /v1/wallet/payments?status=&amp;limit=&amp;startingAfter= → {data, hasMore}, newest first.</summary>
    public static async Task<IResult> ListWalletPayments(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? status,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } invalidLimit
            ? ApiResults.Error(invalidLimit)
            : ApiResults.Ok(await grains.Reference<IWalletPaymentListGrain>(user.UserId()).List(status, pageSize.Value, startingAfter));
    }

    private static async Task<IResult> MoveAsync(HttpContext context, IGrainFactory grains, bool withdrawal, Func<long, string?, IdempotentCommand> command)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<MovementRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var amount = body.Value!.Validate();
        if (amount.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var card = body.Value.InstantCard(withdrawal);
        if (card.Error is { } badCard)
        {
            return ApiResults.Error(badCard);
        }

        var validated = command(amount.Value, card.Value);
        var hash = RequestHash.Compute(context, validated);
        var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(validated.UserId, key.Value));
        return ApiResults.Stored(await grain.Execute(validated, hash));
    }
}
