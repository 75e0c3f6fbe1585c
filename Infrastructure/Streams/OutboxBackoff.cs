using Orleans.Runtime.Providers;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// How long a pulling agent waits between attempts (to deliver to a consumer, or to read its partition): from
/// <c>first</c>, doubling, up to <c>max</c>. Orleans' defaults (1 s up to 30 s to deliver, 10 s up to 20 s to read)
/// would hold a stream, or a whole partition, for seconds after a failure that lasted milliseconds.
/// </summary>
internal sealed class OutboxBackoff : IMessageDeliveryBackoffProvider, IQueueReaderBackoffProvider
{
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;

    public OutboxBackoff(TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        _first = first;
        _max = max;
    }

    public TimeSpan Next(int attempt)
    {
        // 2^30 times any allowed first delay is past any allowed maximum: clamp the exponent before it overflows.
        var factor = 1L << Math.Clamp(attempt, 0, 30);
        return _first.Ticks * (double)factor >= _max.Ticks ? _max : TimeSpan.FromTicks(_first.Ticks * factor);
    }
}
