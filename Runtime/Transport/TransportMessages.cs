using System.Text.Json;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// A grain call on the wire: the target grain, the method (the interface declaring it, its name; overloads are told
/// apart by argument count), and each argument as JSON of its declared type. <paramref name="Forwarded"/>: sent on by a
/// silo that did not own the grain by its view; the receiver runs it whatever its own view says, so calls never loop.
/// </summary>
internal sealed record RemoteCallRequest(string GrainType, string Key, string Interface, string Method, JsonElement[] Arguments, int TimeoutMilliseconds, bool Forwarded = false);

/// <summary>The answer: a JSON result, or an error with the exception's type name (for known types the caller rethrows that type).</summary>
internal sealed record RemoteCallResponse(JsonElement? Result, RemoteError? Error);

internal sealed record RemoteError(string Type, string Message);
