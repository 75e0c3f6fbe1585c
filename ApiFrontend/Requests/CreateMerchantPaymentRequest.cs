using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Cards;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/payments: a merchant takes a payment by card or from a user's wallet.</summary>
public sealed record CreateMerchantPaymentRequest(
    [property: Required, Range(PaymentLimits.MinAmount, PaymentLimits.MaxAmount), Description("Minor units of the currency.")] long? Amount,
    [property: Required, Description("ISO 4217: the merchant's default currency.")] string? Currency,
    [property: Description("automatic (the default: captured at once) or manual (authorized, captured later).")] string? CaptureMethod,
    [property: Required] PaymentMethodRequest? PaymentMethod,
    [property: MaxLength(PaymentLimits.MaxDescriptionLength)] string? Description,
    [property: Description("Up to 20 string pairs of your own (keys up to 40 characters, values up to 500).")] Dictionary<string, string>? Metadata,
    [property: MaxLength(PaymentLimits.MaxCustomerReferenceLength), Description("Your customer's id; listings filter on it.")] string? CustomerReference,
    [property: Description("Where your customer is, as you saw them: fraud rules look for new places and busy addresses.")] CustomerDetailsRequest? Customer = null)
{
    /// <summary>Everything but the card's details and the wallet's user, which the caller turns into the command.</summary>
    public Parsed<PaymentInput> Validate()
    {
        if (Amount is not { } amount || amount < PaymentLimits.MinAmount || amount > PaymentLimits.MaxAmount)
        {
            return ApiError.InvalidAmount($"amount must be an integer from {PaymentLimits.MinAmount} to {PaymentLimits.MaxAmount} minor units.");
        }

        if (!Grains.Interfaces.Money.Currency.TryParse(Currency, out var currency))
        {
            return ApiError.UnknownCurrency();
        }

        var captureMethod = CaptureMethod ?? CaptureMethods.Automatic;
        if (captureMethod is not (CaptureMethods.Automatic or CaptureMethods.Manual))
        {
            return ApiError.Validation("captureMethod", "captureMethod is automatic or manual.");
        }

        if (PaymentMethod is null)
        {
            return ApiError.Validation("paymentMethod", "paymentMethod is required: {type: \"card\", number, expMonth, expYear, cvc} or {type: \"wallet\", user}.");
        }

        var method = PaymentMethod.Validate();
        if (method.Error is { } badMethod)
        {
            return badMethod;
        }

        if (Text(Description, "description", PaymentLimits.MaxDescriptionLength) is { } badDescription)
        {
            return badDescription;
        }

        if (Text(CustomerReference, "customerReference", PaymentLimits.MaxCustomerReferenceLength) is { } badReference)
        {
            return badReference;
        }

        if (Metadata is { } metadata && CheckMetadata(metadata) is { } badMetadata)
        {
            return badMetadata;
        }

        string? ip = null;
        if (Customer?.Ip is { } address)
        {
            if (!System.Net.IPAddress.TryParse(address, out var parsed) || address.Length > 45)
            {
                return ApiError.Validation("customer.ip", "customer.ip is an IPv4 or IPv6 address.");
            }

            ip = parsed.ToString();
        }

        if (Customer?.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            return ApiError.Validation("customer.country", "customer.country is an ISO 3166-1 alpha-2 code in capitals, e.g. US.");
        }

        return new PaymentInput(amount, currency.Code, captureMethod, method.Value!, Description, Metadata, CustomerReference, ip, Customer?.Country);
    }

    private static ApiError? CheckMetadata(Dictionary<string, string> metadata)
    {
        if (metadata.Count > PaymentLimits.MaxMetadataPairs)
        {
            return ApiError.Validation("metadata", $"metadata has at most {PaymentLimits.MaxMetadataPairs} pairs.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || FreeText.CharacterCount(key) > PaymentLimits.MaxMetadataKeyLength || !FreeText.IsStorable(key))
            {
                return ApiError.Validation("metadata", $"metadata keys are 1 to {PaymentLimits.MaxMetadataKeyLength} characters of text.");
            }

            if (value is null || FreeText.CharacterCount(value) > PaymentLimits.MaxMetadataValueLength || !FreeText.IsStorable(value))
            {
                return ApiError.Validation($"metadata.{key}", $"metadata values are strings of at most {PaymentLimits.MaxMetadataValueLength} characters of text.");
            }
        }

        return null;
    }

    internal static ApiError? Text(string? value, string field, int maxLength) =>
        value is not null && (FreeText.CharacterCount(value) > maxLength || !FreeText.IsStorable(value))
            ? ApiError.Validation(field, $"{field} is at most {maxLength} characters of text.")
            : null;
}

/// <summary>
/// How a payment is paid: <c>{type: "card", number, expMonth, expYear, cvc}</c> or <c>{type: "wallet", user}</c>
/// (a username or user id). The card number and CVC are used for the one authorization and never stored or shown.
/// </summary>
public sealed record PaymentMethodRequest(
    [property: Required, Description("card or wallet.")] string? Type,
    [property: Description("Card: the card number, 12 to 19 digits.")] string? Number,
    [property: Range(1, 12), Description("Card: expiry month, 1 to 12.")] int? ExpMonth,
    [property: Range(2000, 2100), Description("Card: expiry year, four digits.")] int? ExpYear,
    [property: Description("Card: the 3 or 4 digit security code.")] string? Cvc,
    [property: Description("Wallet: the paying user, a username or a user id.")] string? User)
{
    public Parsed<PaymentMethodInput> Validate()
    {
        switch (Type)
        {
            case "card":
                if (!CardNumber.IsValid(Number))
                {
                    return new ApiError(ErrorCodes.InvalidCard, "paymentMethod.number is not a valid card number (12 to 19 digits passing the Luhn check).", "paymentMethod.number");
                }

                if (CardNumber.BrandOf(Number!) is not { } brand)
                {
                    return new ApiError(ErrorCodes.InvalidCard, "The card's network is not supported (Visa, Mastercard, American Express, Discover).", "paymentMethod.number");
                }

                if (ExpMonth is not (>= 1 and <= 12))
                {
                    return new ApiError(ErrorCodes.InvalidCard, "paymentMethod.expMonth is 1 to 12.", "paymentMethod.expMonth");
                }

                if (ExpYear is not (>= 2000 and <= 2100))
                {
                    return new ApiError(ErrorCodes.InvalidCard, "paymentMethod.expYear is a four-digit year.", "paymentMethod.expYear");
                }

                if (Cvc is not { Length: 3 or 4 } || !Cvc.All(char.IsAsciiDigit))
                {
                    return new ApiError(ErrorCodes.InvalidCard, "paymentMethod.cvc is 3 or 4 digits.", "paymentMethod.cvc");
                }

                return new PaymentMethodInput(Number, ExpMonth.Value, ExpYear.Value, Cvc, brand, null);
            case "wallet":
                var user = RecipientRef.Parse(User, "paymentMethod.user");
                return user.Error is { } badUser ? badUser : new PaymentMethodInput(null, 0, 0, null, null, user.Value);
            default:
                return ApiError.Validation("paymentMethod.type", "paymentMethod.type is card or wallet.");
        }
    }
}

/// <summary>The customer's IP address and country (ISO 3166-1 alpha-2), both optional.</summary>
public sealed record CustomerDetailsRequest(
    [property: Description("IPv4 or IPv6.")] string? Ip,
    [property: Description("ISO 3166-1 alpha-2, e.g. US.")] string? Country);

/// <summary>A validated payment, before its card is fingerprinted or its wallet's user resolved.</summary>
public sealed record PaymentInput(
    long Amount, string Currency, string CaptureMethod, PaymentMethodInput Method, string? Description, IReadOnlyDictionary<string, string>? Metadata, string? CustomerReference,
    string? ClientIp, string? CustomerCountry);

/// <summary>A validated payment method: a card (number, expiry, CVC, brand) or a wallet's user.</summary>
public sealed record PaymentMethodInput(string? Number, int ExpMonth, int ExpYear, string? Cvc, string? Brand, RecipientRef? User)
{
    public override string ToString() => User is null ? $"{Brand} card" : "wallet";
}

/// <summary>POST /v1/payments/{id}/capture: all that is authorized when <c>amount</c> is absent.</summary>
public sealed record CapturePaymentRequest(
    [property: Range(PaymentLimits.MinAmount, PaymentLimits.MaxAmount), Description("Minor units to capture, up to amountCapturable; the rest is released.")] long? Amount);

/// <summary>POST /v1/refunds: all that is left when <c>amount</c> is absent.</summary>
public sealed record CreateRefundRequest(
    [property: Required, Description("The payment's id.")] string? Payment,
    [property: Range(PaymentLimits.MinAmount, PaymentLimits.MaxAmount), Description("Minor units; at most what is captured and not yet refunded.")] long? Amount,
    [property: MaxLength(PaymentLimits.MaxReasonLength), Description("Why, for your records.")] string? Reason);
