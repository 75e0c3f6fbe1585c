using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Cards;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/devices.</summary>
public sealed record CreateDeviceRequest(
    [property: Required, MaxLength(CardWalletLimits.MaxDeviceNameLength), Description("What the user calls it, e.g. \"Ana's iPhone\".")] string? Name,
    [property: Required, Description("ios, android, watchos or web.")] string? Platform)
{
    public Parsed<(string Name, string Platform)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || FreeText.CharacterCount(Name) > CardWalletLimits.MaxDeviceNameLength || !FreeText.IsStorable(Name))
        {
            return ApiError.Validation("name", $"name is 1 to {CardWalletLimits.MaxDeviceNameLength} characters of text.");
        }

        return Platform is not null && DevicePlatforms.All.Contains(Platform)
            ? (Name.Trim(), Platform)
            : ApiError.Validation("platform", $"platform is one of {string.Join(", ", DevicePlatforms.All)}.");
    }
}

/// <summary>
/// POST /v1/cards: a card to provision into a network token on one of the user's devices. The number and CVC go to
/// the card's network and nowhere else: they are never stored, logged or returned.
/// </summary>
public sealed record ProvisionCardRequest(
    [property: Required, Description("The device the token is bound to (\"dev_…\").")] string? DeviceId,
    [property: Required, Description("The card number, 12 to 19 digits.")] string? Number,
    [property: Required, Range(1, 12)] int? ExpMonth,
    [property: Required, Range(2000, 2100), Description("Four digits; the card must not have expired.")] int? ExpYear,
    [property: Required, Description("3 digits (4 for American Express).")] string? Cvc,
    [property: Required, MaxLength(CardWalletLimits.MaxCardholderNameLength)] string? CardholderName)
{
    /// <summary>Never prints the number or the CVC.</summary>
    public override string ToString() => $"ProvisionCardRequest {{ DeviceId = {DeviceId} }}";

    public Parsed<CardInput> Validate(DateTimeOffset now)
    {
        if (!PrefixedId.IsValid(DeviceId, PrefixedId.Device))
        {
            return new ApiError(ErrorCodes.NotFound, "No such device.", "deviceId");
        }

        if (!CardNumber.IsValid(Number))
        {
            return new ApiError(ErrorCodes.InvalidCard, "number is not a valid card number (12 to 19 digits passing the Luhn check).", "number");
        }

        if (CardNumber.BrandOf(Number!) is not { } brand)
        {
            return new ApiError(ErrorCodes.UnsupportedCard, "The card's network is not supported (Visa, Mastercard, American Express, Discover).", "number");
        }

        if (ExpMonth is not (>= 1 and <= 12))
        {
            return new ApiError(ErrorCodes.InvalidCard, "expMonth is 1 to 12.", "expMonth");
        }

        if (ExpYear is not (>= 2000 and <= 2100))
        {
            return new ApiError(ErrorCodes.InvalidCard, "expYear is a four-digit year.", "expYear");
        }

        if (ExpYear < now.Year || (ExpYear == now.Year && ExpMonth < now.Month))
        {
            return new ApiError(ErrorCodes.InvalidCard, "The card has expired.", "expYear");
        }

        var cvcLength = brand == CardNumber.Amex ? 4 : 3;
        if (Cvc is null || Cvc.Length != cvcLength || !Cvc.All(char.IsAsciiDigit))
        {
            return new ApiError(ErrorCodes.InvalidCard, $"cvc is {cvcLength} digits for this card.", "cvc");
        }

        if (string.IsNullOrWhiteSpace(CardholderName) || FreeText.CharacterCount(CardholderName) > CardWalletLimits.MaxCardholderNameLength || !FreeText.IsStorable(CardholderName))
        {
            return ApiError.Validation("cardholderName", $"cardholderName is 1 to {CardWalletLimits.MaxCardholderNameLength} characters of text.");
        }

        return new CardInput(DeviceId!, Number!, ExpMonth.Value, ExpYear.Value, Cvc, brand, CardholderName.Trim());
    }
}

/// <summary>A validated card to provision; <see cref="ToString"/> shows neither the number nor the CVC.</summary>
public sealed record CardInput(string DeviceId, string Number, int ExpMonth, int ExpYear, string Cvc, string Brand, string CardholderName)
{
    public override string ToString() => $"{Brand} card for device {DeviceId}";
}

/// <summary>POST /v1/cards/{id}/verify.</summary>
public sealed record VerifyCardRequest(
    [property: Required, Description("sms or email: where the code was sent.")] string? Method,
    [property: Required, Description("The six-digit code.")] string? Code)
{
    public Parsed<(string Method, string Code)> Validate()
    {
        if (Method is null || !CardWalletLimits.VerificationMethods.Contains(Method))
        {
            return ApiError.Validation("method", $"method is one of {string.Join(", ", CardWalletLimits.VerificationMethods)}.");
        }

        return Code is { Length: 6 } && Code.All(char.IsAsciiDigit) ? (Method, Code) : ApiError.Validation("code", "code is six digits.");
    }
}

/// <summary>POST /v1/cards/{id}/suspend.</summary>
public sealed record SuspendCardRequest(
    [property: MaxLength(CardWalletLimits.MaxReasonLength), Description("Why, for the card's audit trail; \"user_request\" when absent.")] string? Reason);

/// <summary>POST /v1/payments/{id}/confirm with a wallet card: the device's cryptogram for this payment.</summary>
public sealed record ConfirmPaymentRequest(
    [property: Description("The wallet card that pays (\"card_…\"); absent: the wallet's balance pays.")] string? Card,
    [property: MaxLength(88), Description("The device's cryptogram: base64 HMAC-SHA256 of tokenReference|atc|amount|currency|merchantId under the token's key.")] string? Cryptogram,
    [property: Range(1, int.MaxValue), Description("The device's application transaction counter for this cryptogram; each is used once.")] int? Atc)
{
    public Parsed<Grains.Interfaces.MerchantPayments.DeviceCardPayment?> Validate()
    {
        if (Card is null && Cryptogram is null && Atc is null)
        {
            return new Parsed<Grains.Interfaces.MerchantPayments.DeviceCardPayment?>(null, null);
        }

        if (!PrefixedId.IsValid(Card, PrefixedId.Card))
        {
            return new ApiError(ErrorCodes.NotFound, "No such card.", "card");
        }

        if (Cryptogram is not { Length: > 0 and <= 88 } || !Convert.TryFromBase64String(Cryptogram, new byte[66], out _))
        {
            return ApiError.Validation("cryptogram", "cryptogram is the device's base64 HMAC-SHA256.");
        }

        return Atc is >= 1
            ? new Grains.Interfaces.MerchantPayments.DeviceCardPayment(Card!, Cryptogram, Atc.Value)
            : ApiError.Validation("atc", "atc is a positive integer.");
    }
}

/// <summary>POST /v1/admin/card_networks/{network}/faults: failure injection into a simulated network.</summary>
public sealed record NetworkFaultsRequest(
    [property: Range(0, 60_000), Description("Milliseconds added to each call.")] int? LatencyMs,
    [property: Range(0, 1), Description("Share of calls that fail, 0 to 1.")] double? ErrorRate,
    [property: Description("true: every call fails at once.")] bool? Down)
{
    public Parsed<NetworkFaults> Validate()
    {
        var faults = new NetworkFaults { Latency = TimeSpan.FromMilliseconds(LatencyMs ?? 0), ErrorRate = ErrorRate ?? 0, Down = Down ?? false };
        return faults.Problem() is { } problem
            ? ApiError.Validation(problem.StartsWith("latency", StringComparison.Ordinal) ? "latencyMs" : "errorRate", problem.Replace("latency is", "latencyMs is", StringComparison.Ordinal))
            : faults;
    }
}
