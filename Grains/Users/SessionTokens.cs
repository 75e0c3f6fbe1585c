using System.Security.Cryptography;
using System.Text;

namespace Payments.Grains.Users;

/// <summary>Bearer tokens: 32 random bytes, base64url. Only their SHA-256 (hex) is stored and used as the session grain key.</summary>
public static class SessionTokens
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
