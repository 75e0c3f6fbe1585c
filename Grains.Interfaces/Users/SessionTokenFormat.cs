using System.Security.Cryptography;
using System.Text;

namespace Payments.Grains.Interfaces.Users;

/// <summary>
/// The shape of a session bearer token: 32 random bytes as unpadded base64url, 43 characters. The front end refuses
/// anything else before any lookup, so a made-up token of the wrong shape costs no grain and no query.
/// </summary>
public static class SessionTokenFormat
{
    /// <summary>Random bytes in a token.</summary>
    public const int RandomBytes = 32;

    /// <summary>Characters in a token: ceil(32 × 8 / 6).</summary>
    public const int Length = 43;

    /// <summary>
    /// Whether <paramref name="token"/> could be a token this service issued: 43 base64url characters whose last one
    /// carries two zero padding bits (the canonical encoding of 32 bytes). Pure computation, no I/O.
    /// </summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length)
        {
            return false;
        }

        var last = 0;
        foreach (var c in token)
        {
            last = ValueOf(c);
            if (last < 0)
            {
                return false;
            }
        }

        // 43 characters hold 258 bits; the 2 bits past the 256th are zero in what the encoder writes.
        return (last & 0b11) == 0;
    }

    /// <summary>
    /// The session's key: lowercase hex SHA-256 of the token's UTF-8 bytes. Only this is stored (and keys the session
    /// grain), so the sessions table gives nobody a usable token.
    /// </summary>
    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        '_' => 63,
        _ => -1,
    };
}
