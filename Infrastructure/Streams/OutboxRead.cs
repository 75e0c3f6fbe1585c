namespace Payments.Infrastructure.Streams;

/// <summary>One read of a partition: its events in order, and where the next read starts (past every row it walked).</summary>
internal sealed record OutboxRead(IReadOnlyList<StreamEvent> Events, OutboxPosition Next);
