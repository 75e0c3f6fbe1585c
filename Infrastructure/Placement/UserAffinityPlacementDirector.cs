using System.Globalization;
using Orleans.Runtime.Placement;

namespace Payments.Infrastructure.Placement;

/// <summary>
/// Rendezvous (highest random weight) hashing of a grain's placement key over the compatible silos: the grain goes to
/// the silo with the highest score of hash(key, silo). Every silo computes the same choice from the same membership,
/// and when a silo joins or leaves only the keys that score highest on it move. Hashes are stable across processes
/// (FNV-1a with splitmix64's finalizer), unlike string.GetHashCode.
/// </summary>
public sealed class UserAffinityPlacementDirector : IPlacementDirector
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var silos = context.GetCompatibleSilos(target);
        if (silos.Length == 0)
        {
            throw new OrleansException($"No compatible silo can host {target.GrainIdentity}.");
        }

        return Task.FromResult(Choose(PlacementKey(target.GrainIdentity.Key.ToString()), silos));
    }

    /// <summary>The part of a grain key that decides its silo: up to the first '/' (all of it when there is none).</summary>
    public static string PlacementKey(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        var separator = grainKey.IndexOf('/', StringComparison.Ordinal);
        return separator < 0 ? grainKey : grainKey[..separator];
    }

    /// <summary>The silo among <paramref name="silos"/> that <paramref name="placementKey"/> scores highest on.</summary>
    public static SiloAddress Choose(string placementKey, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        ArgumentOutOfRangeException.ThrowIfZero(silos.Count);
        var keyHash = Add(FnvOffset, placementKey);
        var best = silos[0];
        var bestScore = Score(keyHash, best);
        for (var i = 1; i < silos.Count; i++)
        {
            var score = Score(keyHash, silos[i]);
            if (score > bestScore)
            {
                (best, bestScore) = (silos[i], score);
            }
        }

        return best;
    }

    // The silo's endpoint and generation: a restarted silo is a new incarnation, like in the membership table.
    private static ulong Score(ulong keyHash, SiloAddress silo) =>
        Mix(keyHash ^ Add((Add(FnvOffset, silo.Endpoint.ToString()) ^ 0x1F) * FnvPrime, silo.Generation.ToString(CultureInfo.InvariantCulture)));

    private static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var character in text)
        {
            hash = (hash ^ (byte)character) * FnvPrime;
            hash = (hash ^ (byte)(character >> 8)) * FnvPrime;
        }

        return hash;
    }

    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
