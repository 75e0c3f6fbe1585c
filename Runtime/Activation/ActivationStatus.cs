namespace Orleans.Payments.Runtime.Activation;

internal enum ActivationStatus
{
    /// <summary>In the catalog, not started; the first scheduling pass activates it.</summary>
    Created,

    /// <summary>Reading state and running OnActivateAsync; calls wait.</summary>
    Activating,

    /// <summary>Serving calls.</summary>
    Active,

    /// <summary>Waiting for running calls to finish, then running OnDeactivateAsync; queued calls wait and move to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; refuses calls so the router creates a new activation.</summary>
    Deactivated,
}
