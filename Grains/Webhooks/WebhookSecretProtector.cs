using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Keeps webhook signing secrets encrypted at rest: AES-256-GCM under <see cref="WebhookOptions.SecretEncryptionKey"/>,
/// with the endpoint id as associated data (a secret copied to another row does not decrypt). Stored as
/// <c>enc:v1:{key id}:{base64 of nonce, ciphertext and tag}</c>; the key id (the first bytes of the key's SHA-256) says
/// which key a value needs, so a silo with another key fails loudly instead of signing garbage. Signing needs the
/// secret itself, so a one-way hash cannot do here.
/// </summary>
public sealed partial class WebhookSecretProtector
{
    private const string Prefix = "enc:v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;
    private readonly string _keyId;

    public WebhookSecretProtector(IOptions<WebhookOptions> options, ILogger<WebhookSecretProtector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = WebhookOptions.DecodeKey(options.Value.SecretEncryptionKey)
            ?? throw new InvalidOperationException($"{WebhookOptions.SectionName}:{nameof(WebhookOptions.SecretEncryptionKey)} must be the base64 of 32 random bytes.");
        _keyId = Convert.ToHexStringLower(SHA256.HashData(_key), 0, 4);
        if (options.Value.SecretKeyFile is { } file)
        {
            LogKeyFromFile(logger, _keyId, file);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Webhook secrets are encrypted with key {KeyId} from {KeyFile}; silos on other machines must use the same key (Payments__Webhooks__SecretEncryptionKey), and losing the file loses every endpoint's secret")]
    private static partial void LogKeyFromFile(ILogger logger, string keyId, string keyFile);

    public string Protect(string endpointId, string secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), Encoding.UTF8.GetBytes(endpointId));
        return $"{Prefix}{_keyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    public string Unprotect(string endpointId, string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split(':');
        if (parts.Length != 4 || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException($"The secret of webhook endpoint {endpointId} is not in the encrypted form.");
        }

        if (parts[2] != _keyId)
        {
            throw new CryptographicException($"The secret of webhook endpoint {endpointId} was encrypted with key {parts[2]}; this silo has key {_keyId}.");
        }

        var sealedBytes = Convert.FromBase64String(parts[3]);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        if (length < 0)
        {
            throw new CryptographicException($"The secret of webhook endpoint {endpointId} is cut short.");
        }

        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plaintext, Encoding.UTF8.GetBytes(endpointId));
        return Encoding.UTF8.GetString(plaintext);
    }
}
