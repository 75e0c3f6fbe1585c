namespace Payments.Infrastructure.Placement;

/// <summary>
/// Places a grain by its key up to the first '/' (a user id for the grains of a user: wallet, idempotency keys
/// "user/key", friends, feed, notifications), so one user's grains activate on one silo and call each other in process.
/// An affinity, not a guarantee: Orleans' directory may briefly allow a second activation during membership changes,
/// and grains already active stay where they are when silos join. Money never depends on it (locked rows, CHECK
/// constraints and idempotency keys decide). See <see cref="UserAffinityPlacementDirector"/>.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("user-affinity")]
public sealed class UserAffinityPlacement : PlacementStrategy
{
    public static UserAffinityPlacement Instance { get; } = new();
}
