namespace Payments.Infrastructure.Streams;

/// <summary>
/// The ids of the last <see cref="Capacity"/> events a grain applied, so a redelivered batch is skipped cheaply.
/// It lives in memory: after a reactivation only the database can tell, so where an event's effect is a row, give
/// that row a unique constraint on the event id (or an id derived from it) as well.
/// </summary>
public sealed class RecentEventIds(int capacity = RecentEventIds.DefaultCapacity)
{
    public const int DefaultCapacity = 1_024;

    // Not preallocated: many grains hold one, and most see far fewer events than the capacity.
    private readonly HashSet<Guid> _ids = [];
    private readonly Queue<Guid> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be positive.");

    /// <summary>The events not applied yet, in their order (an id repeated within the batch is kept once).</summary>
    public IReadOnlyList<StreamEvent> Unseen(IReadOnlyList<StreamEvent> events)
    {
        var seenInBatch = new HashSet<Guid>();
        return events.Where(item => !_ids.Contains(item.EventId) && seenInBatch.Add(item.EventId)).ToList();
    }

    /// <summary>Remembers events as applied; call after their effect is durable, so a failed attempt is retried.</summary>
    public void MarkApplied(IEnumerable<StreamEvent> events)
    {
        foreach (var item in events)
        {
            if (!_ids.Add(item.EventId))
            {
                continue;
            }

            _order.Enqueue(item.EventId);
            if (_order.Count > Capacity)
            {
                _ids.Remove(_order.Dequeue());
            }
        }
    }
}
