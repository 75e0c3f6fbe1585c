using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/merchants. Checked by the merchant's grain (the one place its rules live).</summary>
public sealed record CreateMerchantRequest(
    [property: Required, MaxLength(MerchantLimits.MaxNameLength), Description("The business name customers see.")] string? Name,
    [property: Required, Description("ISO 3166-1 alpha-2, e.g. US.")] string? Country,
    [property: Required, Description("ISO 4217: the currency its payments are taken and settled in.")] string? DefaultCurrency);

/// <summary>PUT /v1/merchants/{id}/fraud_settings: absent fields take the platform's defaults.</summary>
public sealed record FraudSettingsRequest(
    [property: Range(1, 100), Description("Scores from here are authorized but flagged for review (default 50).")] int? ReviewThreshold,
    [property: Range(1, 101), Description("Scores from here are blocked (default 75; 101 blocks nothing).")] int? BlockThreshold,
    [property: Description("Entries (card:<fingerprint>, ip:<address>, customer:<reference>, user:<user id>, country:<XX>) whose payments score 0.")] List<string>? AllowList,
    [property: Description("Entries whose payments score 100 and are blocked; the block list wins over the allow list.")] List<string>? BlockList);

/// <summary>POST /v1/merchants/{id}/api_keys/{keyId}/roll.</summary>
public sealed record RollApiKeyRequest(
    [property: Range(0, 604_800), Description("How long the rolled key keeps working, in seconds (0 to 7 days); 0 when absent: it stops now.")] long? ExpiresInSeconds);
