using System.Diagnostics;
using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// A call to a grain method. The call is its own promise: the caller awaits <see cref="TaskCompletionSource{T}.Task"/>.
/// Continuations run asynchronously so that caller code never runs inside the callee's turn.
/// </summary>
internal sealed class GrainCall<TResult>(GrainMethod<TResult> method, object?[]? arguments)
    : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), IRemotableCall
{
    public GrainMethod<TResult> Method { get; } = method;

    public object?[]? Arguments { get; } = arguments;

    /// <summary>A call that arrived from another silo and is being sent on to the grain's owner (at most once).</summary>
    public bool Forwarded { get; init; }

    public long EnqueuedTimestamp { get; set; }

    public bool IsAnswered => Task.IsCompleted;

    public Task Start(object grain) => Method.Invoke(grain, Arguments);

    public void Complete(Task grainTask)
    {
        Debug.Assert(grainTask.IsCompleted, "A call completes only after the grain's task has.");
        var typed = (Task<TResult>)grainTask;
        if (typed.IsCompletedSuccessfully)
        {
            TrySetResult(typed.Result);
        }
        else if (typed.IsCanceled)
        {
            TrySetCanceled();
        }
        else
        {
            TrySetException(typed.Exception!.InnerExceptions);
        }
    }

    public void Fail(Exception error) => TrySetException(error);

    /// <summary>Runs the call on the silo at the other end of the connection; a broken connection surfaces to the router.</summary>
    public async Task ForwardAsync(SiloConnection connection, GrainId target, TimeSpan timeout)
    {
        EnqueuedTimestamp = Stopwatch.GetTimestamp();
        try
        {
            TrySetResult((TResult)(await connection.CallAsync(Method, target, Arguments, timeout, Forwarded).ConfigureAwait(false))!);
        }
        catch (SiloUnavailableException)
        {
            throw; // The router decides whether to retry elsewhere.
        }
        catch (Exception error)
        {
            TrySetException(error);
        }
    }

    public override string ToString() => Method.Name;
}
