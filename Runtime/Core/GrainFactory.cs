using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime;

internal sealed class GrainFactory(IGrainCallRouter router) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return GrainReference.Create<TGrainInterface>(GrainInterfaceMetadata.For(typeof(TGrainInterface)), router, key);
    }
}
