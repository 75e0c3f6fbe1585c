using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Transfers;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/transfers. <c>to</c> is a user id or a username.</summary>
public sealed record CreateTransferRequest(
    [property: Required, Description("The recipient: a username or a user id.")] string? To,
    [property: Required, Range(TransferLimits.MinAmount, TransferLimits.MaxAmount), Description("Cents.")] long? Amount,
    [property: Required, Description("ISO 4217; wallets hold USD.")] string? Currency,
    [property: MaxLength(TransferLimits.MaxNoteLength), Description("Shown to the two parties and in the feed.")] string? Note,
    [property: Description("public, friends or private; your default visibility when absent.")] string? Visibility)
{
    /// <summary>Validates every field; the recipient is only checked for form here, resolved later.</summary>
    public Parsed<TransferInput> Validate()
    {
        var to = RecipientRef.Parse(To, "to");
        if (to.Error is { } badRecipient)
        {
            return badRecipient;
        }

        var recipient = to.Value!;

        if (Amount is not { } amount || amount < TransferLimits.MinAmount || amount > TransferLimits.MaxAmount)
        {
            return ApiError.InvalidAmount($"amount must be an integer from {TransferLimits.MinAmount} to {TransferLimits.MaxAmount} minor units.");
        }

        if (string.IsNullOrEmpty(Currency))
        {
            return new ApiError(ErrorCodes.InvalidCurrency, "currency is required (an ISO 4217 code, e.g. USD).", "currency");
        }

        if (!Grains.Interfaces.Money.Currency.TryParse(Currency, out var currency))
        {
            return ApiError.UnknownCurrency();
        }

        if (currency != Grains.Interfaces.Money.Currency.Usd)
        {
            return new ApiError(ErrorCodes.CurrencyMismatch, $"Wallets hold {Grains.Interfaces.Money.Currency.Usd.Code}; a transfer in {currency.Code} is not possible.", "currency");
        }

        var note = Note ?? string.Empty;
        if (FreeText.CharacterCount(note) > TransferLimits.MaxNoteLength)
        {
            return ApiError.Validation("note", $"note must be at most {TransferLimits.MaxNoteLength} characters.");
        }

        if (!FreeText.IsStorable(note))
        {
            return ApiError.Validation("note", FreeText.NotStorableMessage("note"));
        }

        // Omitted: the sender's default visibility applies (PATCH /v1/users/me; initially friends, never public unasked).
        var visibility = Visibility;
        if (visibility is not null && !Grains.Interfaces.Transfers.Visibility.IsValid(visibility))
        {
            return ApiError.Validation("visibility", "visibility must be one of public, friends, private.");
        }

        return new TransferInput(recipient, amount, currency.Code, note, visibility);
    }
}

/// <summary>The recipient as given: by id or by username (exactly one is set).</summary>
public sealed record RecipientRef(UserId? Id, Username? Username)
{
    /// <summary>A user id (UUID) or a username; anything else is a validation error on <paramref name="field"/>.</summary>
    public static Parsed<RecipientRef> Parse(string? text, string field)
    {
        if (UserId.TryParse(text, out var id))
        {
            return new RecipientRef(id, null);
        }

        return Grains.Interfaces.Identity.Username.TryParse(text, out var name)
            ? new RecipientRef(null, name)
            : ApiError.Validation(field, $"{field} must be a user id (UUID) or a username.");
    }
}

/// <summary>A validated transfer request, recipient not yet resolved.</summary>
public sealed record TransferInput(RecipientRef To, long Amount, string Currency, string Note, string? Visibility);
