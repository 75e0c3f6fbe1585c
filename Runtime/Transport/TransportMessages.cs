using System.Text.Json;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// A grain call on the wire: the target grain, the method (the interface declaring it, its name; overloads are told
/// apart by argument count), and each argument as JSON of its declared type.
/// </summary>
internal sealed record RemoteCallRequest(string GrainType, string Key, string Interface, string Method, JsonElement[] Arguments, int TimeoutMilliseconds);

/// <summary>The answer: a JSON result, or an error with the exception's type name (for known types the caller rethrows that type).</summary>
internal sealed record RemoteCallResponse(JsonElement? Result, RemoteError? Error);

internal sealed record RemoteError(string Type, string Message);
