namespace Payments.Grains;

/// <summary>Timestamps as PostgreSQL keeps them (microseconds), so a response carries the same instant its row does.</summary>
public static class DatabaseTime
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
