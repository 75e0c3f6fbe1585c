using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Wallets;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/wallet/deposits and /v1/wallet/withdrawals: an amount in minor units.</summary>
public sealed record MovementRequest(
    [property: Required, Range(WalletLimits.MinMovement, WalletLimits.MaxMovement), Description("Cents (USD).")] long? Amount,
    [property: Description("Withdrawals only: standard (to the bank, free; the default) or instant (to a debit card of your card wallet, for a fee).")] string? Speed = null,
    [property: Description("Withdrawals only, with speed instant: the debit card's id (\"card_…\").")] string? Card = null)
{
    /// <summary>The card an instant withdrawal goes to (null: standard), or why the speed and card do not fit.</summary>
    public Parsed<string?> InstantCard(bool withdrawal)
    {
        if (!withdrawal)
        {
            return Speed is null && Card is null ? new Parsed<string?>(null, null) : ApiError.Validation("speed", "speed and card are for withdrawals.");
        }

        return Speed switch
        {
            null or "standard" => Card is null ? new Parsed<string?>(null, null) : ApiError.Validation("card", "card is for instant withdrawals (speed instant)."),
            "instant" => Grains.Interfaces.Merchants.PrefixedId.IsValid(Card, Grains.Interfaces.Merchants.PrefixedId.Card)
                ? Card
                : new ApiError(Grains.Interfaces.Errors.ErrorCodes.NotFound, "No such card: an instant withdrawal names a debit card of your card wallet.", "card"),
            _ => ApiError.Validation("speed", "speed is standard or instant."),
        };
    }

    public Parsed<long> Validate() => Amount switch
    {
        null => ApiError.InvalidAmount("amount is required (integer minor units)."),
        < WalletLimits.MinMovement or > WalletLimits.MaxMovement =>
            ApiError.InvalidAmount($"amount must be an integer from {WalletLimits.MinMovement} to {WalletLimits.MaxMovement} minor units."),
        { } amount => amount,
    };
}
