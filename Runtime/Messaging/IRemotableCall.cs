using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>A call that can run on another silo: it is sent over a connection and answered from the reply.</summary>
internal interface IRemotableCall : IGrainWorkItem
{
    Task ForwardAsync(SiloConnection connection, GrainId target, TimeSpan timeout);
}
