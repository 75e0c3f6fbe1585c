using Payments.Grains.Interfaces.Commerce;

namespace Payments.Grains.Commerce;

/// <summary>An order as its grain keeps it (the <c>body</c> column): what the parties see, and where its saga stands.</summary>
public sealed record OrderRecord(OrderView View, SagaProgress Progress);

/// <summary>
/// Where an order's saga stands. <c>Started</c> are the steps begun, logged before each runs (its effect may have
/// happened: a compensation undoes every started step); <c>Done</c> are the steps finished. <c>Attempts</c>,
/// <c>RetryAt</c> and <c>LastError</c> belong to the step that failed last and will be tried again.
/// </summary>
public sealed record SagaProgress(
    string Mode,
    IReadOnlyList<string> Started,
    IReadOnlyList<string> Done,
    int Attempts,
    DateTimeOffset? RetryAt,
    string? LastError,
    bool CancelRequested)
{
    public static SagaProgress Begin { get; } = new(SagaModes.Forward, [], [], 0, null, null, false);

    public bool HasStarted(string step) => Started.Contains(step);

    public bool IsDone(string step) => Done.Contains(step);

    public SagaProgress Starting(string step) => HasStarted(step) ? this : this with { Started = [.. Started, step] };

    public SagaProgress Finished(string step) => this with { Done = IsDone(step) ? Done : [.. Done, step], Attempts = 0, RetryAt = null, LastError = null };
}

public static class SagaModes
{
    /// <summary>Reserve, authorize, capture, fulfil, sell.</summary>
    public const string Forward = "forward";

    /// <summary>Undoing the started steps in reverse order: the order fails or is canceled.</summary>
    public const string Compensating = "compensating";

    /// <summary>The merchant refunds a fulfilled order: refund the payment, revoke the license.</summary>
    public const string Refunding = "refunding";

    /// <summary>Nothing left to run.</summary>
    public const string Finished = "finished";
}

/// <summary>One change to an order, for its event log.</summary>
public sealed record OrderChange(string Type, string Actor, IReadOnlyDictionary<string, object?> Data);
