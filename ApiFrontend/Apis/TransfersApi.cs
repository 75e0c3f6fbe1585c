using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Idempotency;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/transfers: P2P send (idempotent) and reading one transfer.</summary>
public static class TransfersApi
{
    public static RouteGroupBuilder MapTransfersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/transfers").WithTags(ApiTags.Transfers).RequireAuthorization();

        group.MapPost("/", CreateTransfer)
            .WithName(nameof(CreateTransfer))
            .WithSummary("Send money")
            .WithDescription("Moves `amount` cents from your wallet to another user's (`to`: a username or a user id) in one ledger transaction, exactly once per Idempotency-Key. The transfer appears in the feed according to `visibility` (your default when absent), and the recipient is notified. When `amount` is more than your balance and you chose a default funding source (`POST /v1/funding_sources/{id}/default`), the shortfall is pulled from it (your bank account, or a card through its network) and the pull and the transfer commit together; `funding` then says how it was paid. A retry with the same key never pulls twice, and a pull that fails leaves no transfer (402 `FUNDING_DECLINED`, or a retryable 503).")
            .WithMetadata(IdempotencyHeader.Metadata)
            .Accepts<CreateTransferRequest>("application/json")
            .Produces<TransferReceipt>(StatusCodes.Status201Created)
            .ProducesErrors(
                ErrorCodes.InvalidAmount, ErrorCodes.InvalidCurrency, ErrorCodes.CurrencyMismatch, ErrorCodes.RecipientNotFound,
                ErrorCodes.InvalidRecipient, ErrorCodes.InsufficientFunds, ErrorCodes.DailyLimitExceeded, ErrorCodes.AccountFrozen,
                ErrorCodes.FundingDeclined, ErrorCodes.CardStatusConflict, ErrorCodes.DeviceLost, ErrorCodes.NetworkUnavailable);
        group.MapGet("/{id}", GetTransfer)
            .WithName(nameof(GetTransfer))
            .WithSummary("Get a transfer")
            .WithDescription("Only its sender and its recipient may read a transfer; for anyone else, as for an unknown id, the answer is 404.")
            .Produces<TransferView>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>
    /// POST /v1/transfers {to, amount, currency, note, visibility} with Idempotency-Key → 201 {transfer, balance}.
    /// Everything is validated before any grain is called, so bad input changes nothing.
    /// </summary>
    public static async Task<IResult> CreateTransfer(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] UserLookup userLookup)
    {
        var key = IdempotencyHeader.Read(context.Request);
        if (key.Error is { } missingKey)
        {
            return ApiResults.Error(missingKey);
        }

        var body = await JsonBody.ReadAsync<CreateTransferRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var input = body.Value!.Validate();
        if (input.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var transfer = input.Value!;
        var sender = user.UserId();
        var recipient = await userLookup.ResolveCounterpartyAsync(transfer.To, sender, "to", "You cannot send money to yourself.");
        if (recipient.Error is { } unknown)
        {
            return ApiResults.Error(unknown);
        }

        var command = new TransferCommand(sender, recipient.Value!.Id, transfer.Amount, transfer.Currency, transfer.Note, transfer.Visibility);
        var hash = RequestHash.Compute(context, command);
        var grain = grains.Reference<IIdempotencyGrain>(IdempotencyHeader.GrainKey(sender, key.Value));
        return ApiResults.Stored(await grain.Execute(command, hash));
    }

    /// <summary>GET /v1/transfers/{id}: only to its sender and receiver; anything else (including a malformed id) is 404.</summary>
    public static async Task<IResult> GetTransfer(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!TransactionId.TryParse(id, out var transferId))
        {
            return ApiResults.Error(ApiError.NotFound("No such transfer."));
        }

        return ApiResults.Ok(await grains.Reference<IWalletGrain>(user.UserId()).GetTransfer(transferId.ToString()));
    }
}
