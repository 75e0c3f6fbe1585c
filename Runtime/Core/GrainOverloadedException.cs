namespace Orleans.Payments.Runtime;

/// <summary>
/// An activation's request queue is at its limit. Callers should back off and retry; the limit protects
/// the silo from unbounded memory growth behind one hot grain.
/// </summary>
public sealed class GrainOverloadedException(string message) : Exception(message);
