namespace Orleans.Payments.Runtime;

/// <summary>A grain call did not complete within the configured call timeout.</summary>
public sealed class GrainCallTimeoutException(string message) : TimeoutException(message);
