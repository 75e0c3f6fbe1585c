using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.ApiFrontend.Idempotency;

/// <summary>
/// Identifies what an idempotency key was used for: lowercase hex SHA-256 of
/// <c>"{METHOD} {route pattern}\n{canonical JSON of the command}"</c>. The command is the validated one (defaults
/// applied, recipient resolved), so two requests that mean the same thing hash the same.
/// </summary>
public static class RequestHash
{
    // Fixed options, independent of the API's output settings: a change here would turn retries into IDEMPOTENCY_KEY_REUSED.
    private static readonly JsonSerializerOptions s_canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static string Compute(HttpContext context, IdempotentCommand command)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(command);
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
        return Compute(context.Request.Method, route, command);
    }

    public static string Compute(string method, string route, IdempotentCommand command)
    {
        // Serialized as the base type, so the "kind" discriminator is part of the canonical form.
        var json = JsonSerializer.Serialize(command, s_canonical);
        var text = $"{method.ToUpperInvariant()} {route}\n{json}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
