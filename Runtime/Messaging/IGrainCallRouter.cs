namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// Delivers a call to the activation of its target grain. On one silo this is the local catalog; in a cluster
/// the router forwards calls for grains placed elsewhere.
/// </summary>
internal interface IGrainCallRouter
{
    void Send(GrainId target, IGrainWorkItem call);
}
