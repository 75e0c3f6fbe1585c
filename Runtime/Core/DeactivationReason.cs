namespace Orleans.Payments.Runtime;

public enum DeactivationReason
{
    /// <summary>Idle for longer than the collection age.</summary>
    Collected,

    /// <summary>The grain asked for it with <see cref="Grain.DeactivateOnIdle"/>.</summary>
    Requested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Activation failed; the grain never served a call.</summary>
    ActivationFailed,

    /// <summary>Membership changed and another silo owns the grain now; it reactivates there.</summary>
    PlacementChanged,
}
