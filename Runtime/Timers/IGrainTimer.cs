namespace Orleans.Payments.Runtime.Timers;

/// <summary>A grain timer; dispose it to stop further ticks.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Changes when the next tick fires and the period after it.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
