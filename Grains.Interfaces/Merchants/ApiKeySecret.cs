using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Interfaces.Merchants;

/// <summary>
/// Merchant API key secrets: <c>sk_test_</c> and 43 base64url characters (32 random bytes). The first 16 characters
/// are the key's public prefix, its lookup; only the SHA-256 of the whole secret is stored. With 256 random bits a
/// slow password hash adds nothing, and a fast one keeps each authenticated call cheap.
/// </summary>
public static class ApiKeySecret
{
    public const string Mode = "sk_test_";
    public const int PrefixLength = 16;
    public const int Length = 51;

    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string New() => Mode + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Whether a bearer token is an API key at all (and not a session token): it starts with <c>sk_</c> and is not of a
    /// session token's length. A session token is 43 random base64url characters, so one in 262,144 starts with
    /// <c>sk_</c> too; taken for a key, that session would never have worked.
    /// </summary>
    public static bool LooksLikeKey(string token) =>
        token.StartsWith("sk_", StringComparison.Ordinal) && token.Length != SessionTokenFormat.Length;

    /// <summary>Of the issued shape: the mode, then exactly 43 base64url characters.</summary>
    public static bool IsWellFormed(string token) =>
        token.Length == Length && token.StartsWith(Mode, StringComparison.Ordinal)
        && !token.AsSpan(Mode.Length).ContainsAnyExcept(s_base64Url);

    public static string PrefixOf(string secret) => secret[..PrefixLength];

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));
}
