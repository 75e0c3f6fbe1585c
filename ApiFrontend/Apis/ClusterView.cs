namespace Payments.ApiFrontend.Apis;

/// <summary>The cluster as the membership table sees it.</summary>
public sealed record ClusterView(IReadOnlyList<SiloView> Silos);

/// <summary>One silo incarnation; status is joining, active, shutting_down or dead.</summary>
public sealed record SiloView(string Address, long Generation, string Status, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, int Activations);
