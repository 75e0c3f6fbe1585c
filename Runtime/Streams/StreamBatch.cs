namespace Orleans.Payments.Runtime.Streams;

/// <summary>An event read from the log, with the grains explicitly subscribed to its stream.</summary>
internal sealed record LoggedEvent(StreamEvent Event, IReadOnlyList<GrainId> Subscribers);

/// <summary>
/// One read of a partition: its deliverable events in order, and whether committed events (of any partition) exist
/// that are not deliverable yet because an older transaction is still open (then the reader looks again soon).
/// </summary>
internal sealed record StreamBatch(IReadOnlyList<LoggedEvent> Events, bool HeldBack);
