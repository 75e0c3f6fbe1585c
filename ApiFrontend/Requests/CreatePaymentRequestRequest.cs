using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Transfers;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/requests. <c>from</c> (who is asked to pay) is a user id or a username; the currency is the wallet's (USD).</summary>
public sealed record CreatePaymentRequestRequest(
    [property: Required, Description("Who is asked to pay: a username or a user id.")] string? From,
    [property: Required, Range(TransferLimits.MinAmount, TransferLimits.MaxAmount), Description("Cents (USD).")] long? Amount,
    [property: MaxLength(TransferLimits.MaxNoteLength)] string? Note)
{
    /// <summary>The same rules as a transfer: amount 1..500,000 minor units, note at most 280 characters.</summary>
    public Parsed<PaymentRequestInput> Validate()
    {
        var from = RecipientRef.Parse(From, "from");
        if (from.Error is { } badPayer)
        {
            return badPayer;
        }

        if (Amount is not { } amount || amount < TransferLimits.MinAmount || amount > TransferLimits.MaxAmount)
        {
            return ApiError.InvalidAmount($"amount must be an integer from {TransferLimits.MinAmount} to {TransferLimits.MaxAmount} minor units.");
        }

        var note = Note ?? string.Empty;
        if (FreeText.CharacterCount(note) > TransferLimits.MaxNoteLength)
        {
            return ApiError.Validation("note", $"note must be at most {TransferLimits.MaxNoteLength} characters.");
        }

        return FreeText.IsStorable(note)
            ? new PaymentRequestInput(from.Value!, amount, note)
            : ApiError.Validation("note", FreeText.NotStorableMessage("note"));
    }
}

/// <summary>A validated payment request, the payer not yet resolved.</summary>
public sealed record PaymentRequestInput(RecipientRef From, long Amount, string Note);
