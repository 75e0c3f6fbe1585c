namespace Orleans.Payments.Runtime;

/// <summary>Creates typed references to grains. A reference is cheap; calling it activates the grain on demand.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
