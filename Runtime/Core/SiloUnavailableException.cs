namespace Orleans.Payments.Runtime;

/// <summary>The silo cannot serve the call now (shutting down, grain moving). Safe to retry.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);
