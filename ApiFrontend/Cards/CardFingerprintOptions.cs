namespace Payments.ApiFrontend.Cards;

/// <summary>The key card fingerprints are computed with (section <c>Payments:Cards</c>).</summary>
public sealed class CardFingerprintOptions
{
    public const string SectionName = "Payments:Cards";

    /// <summary>
    /// The development default: deployments must set their own (base64, at least 32 bytes), or fingerprints (and so
    /// request hashes of card payments) are only as secret as this public value.
    /// </summary>
    public const string DevelopmentKey = "b3JsZWFucy1wYXltZW50cy1kZXZlbG9wbWVudC1jYXJkLWZpbmdlcnByaW50LWtleQ==";

    /// <summary>Base64 HMAC-SHA256 key, the same on every front end (a retry may reach another one).</summary>
    public string FingerprintKey { get; set; } = DevelopmentKey;
}
