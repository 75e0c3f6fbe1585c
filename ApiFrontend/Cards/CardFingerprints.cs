using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.ApiFrontend.Cards;

/// <summary>
/// A card's fingerprint: the HMAC-SHA256 of its number under a key from configuration. The same card always has the
/// same fingerprint, so idempotent retries hash the same and fraud rules can count a card's payments; without the
/// key, the fingerprint says nothing about the number (a bare hash of a card number could be reversed by trying
/// every number of its BIN).
/// </summary>
public sealed partial class CardFingerprints
{
    private readonly byte[] _key;

    public CardFingerprints(IOptions<CardFingerprintOptions> options, ILogger<CardFingerprints> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = Convert.FromBase64String(options.Value.FingerprintKey);
        if (options.Value.FingerprintKey == CardFingerprintOptions.DevelopmentKey)
        {
            LogDevelopmentKey(logger, CardFingerprintOptions.SectionName);
        }
    }

    public string Of(string number) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(number)));

    [LoggerMessage(1, LogLevel.Warning, "Card fingerprints use the development key; set {Section}:FingerprintKey (base64, 32+ bytes) in production")]
    private static partial void LogDevelopmentKey(ILogger logger, string section);
}
