namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// A unit of work queued to an activation and run as one turn: a grain call or a timer tick.
/// </summary>
internal interface IGrainWorkItem
{
    /// <summary>Stopwatch timestamp of when the item was queued; used for call timeouts.</summary>
    long EnqueuedTimestamp { get; set; }

    /// <summary>True once the caller has its answer (result, error or timeout); such an item is skipped.</summary>
    bool IsAnswered { get; }

    /// <summary>Starts the turn on the activation's scheduler and returns the grain's task.</summary>
    Task Start(object grain);

    /// <summary>Hands the outcome of the grain's task to the caller.</summary>
    void Complete(Task grainTask);

    /// <summary>Answers the caller with an error without running the grain (timeout, failed activation).</summary>
    void Fail(Exception error);
}
