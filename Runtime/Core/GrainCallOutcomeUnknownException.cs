namespace Orleans.Payments.Runtime;

/// <summary>
/// The connection to the silo running a call broke after the call was sent: it may have run, or not. The runtime
/// does not send it again (a grain call need not be idempotent); a caller that can, retries the operation in a way
/// that is safe to repeat (a payment with its idempotency key).
/// </summary>
public sealed class GrainCallOutcomeUnknownException(string message) : Exception(message);
