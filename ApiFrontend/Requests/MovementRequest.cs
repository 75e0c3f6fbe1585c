using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Wallets;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/wallet/deposits and /v1/wallet/withdrawals: an amount in minor units.</summary>
public sealed record MovementRequest(
    [property: Required, Range(WalletLimits.MinMovement, WalletLimits.MaxMovement), Description("Cents (USD).")] long? Amount)
{
    public Parsed<long> Validate() => Amount switch
    {
        null => ApiError.InvalidAmount("amount is required (integer minor units)."),
        < WalletLimits.MinMovement or > WalletLimits.MaxMovement =>
            ApiError.InvalidAmount($"amount must be an integer from {WalletLimits.MinMovement} to {WalletLimits.MaxMovement} minor units."),
        { } amount => amount,
    };
}
