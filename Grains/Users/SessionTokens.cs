using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Users;

/// <summary>
/// Bearer tokens: <see cref="SessionTokenFormat.RandomBytes"/> random bytes, unpadded base64url (the shape
/// <see cref="SessionTokenFormat"/> checks). Only their SHA-256 (hex) is stored and used as the session grain key.
/// </summary>
public static class SessionTokens
{
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionTokenFormat.RandomBytes));

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
