using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Payments.ApiFrontend.Authentication;

/// <summary>The bearer token of a request. Tokens are secrets: never logged, only their hash leaves this class.</summary>
public static class BearerToken
{
    private const string Prefix = "Bearer ";
    private const int MaxLength = 512;

    /// <summary>Whether the request has an Authorization header at all.</summary>
    public static bool IsPresent(HttpRequest request) => request.Headers.ContainsKey(HeaderNames.Authorization);

    /// <summary>The query parameter that may carry the token where browsers cannot set headers (WebSocket upgrades).</summary>
    public const string QueryParameter = "access_token";

    /// <summary>Endpoint metadata: this endpoint also takes the token from <see cref="QueryParameter"/>.</summary>
    public static readonly object QueryTokenAllowed = new QueryTokenMarker();

    /// <summary>The token of a single <c>Authorization: Bearer &lt;token&gt;</c> header: 1–512 visible ASCII characters.</summary>
    public static bool TryRead(HttpRequest request, out string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        token = string.Empty;
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { } header || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return TryAccept(header.AsSpan(Prefix.Length).Trim(' '), out token);
    }

    /// <summary>The token of a single <c>access_token</c> query parameter, under the same rules as the header's.</summary>
    public static bool TryReadQuery(HttpRequest request, out string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        token = string.Empty;
        var values = request.Query[QueryParameter];
        return values.Count == 1 && values[0] is { } value && TryAccept(value, out token);
    }

    /// <summary>Whether <paramref name="candidate"/> has a token's shape: 1–512 visible ASCII characters.</summary>
    internal static bool TryAccept(ReadOnlySpan<char> candidate, out string token)
    {
        token = string.Empty;
        if (candidate.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        token = candidate.ToString();
        return true;
    }

    /// <summary>Constant-time equality (both sides hashed first, so neither content nor length leaks through timing).</summary>
    public static bool FixedTimeEquals(string presented, string expected)
    {
        Span<byte> left = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> right = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    private sealed class QueryTokenMarker;
}
