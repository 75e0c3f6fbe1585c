using System.Globalization;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// Rendezvous (highest random weight) hashing over the active silos: a grain belongs to the silo with the highest
/// score of hash(grain, silo). Every silo and client computes the same owner from the same membership, and when a
/// silo joins or leaves only the grains that score highest on it move. Hashes are stable across processes (FNV-1a
/// with a 64-bit finalizer), unlike string.GetHashCode. Immutable: a new map per membership version.
/// </summary>
public sealed class RendezvousPlacement
{
    private readonly SiloIdentity[] _silos;
    private readonly ulong[] _siloHashes;

    public RendezvousPlacement(IEnumerable<SiloIdentity> activeSilos)
    {
        ArgumentNullException.ThrowIfNull(activeSilos);
        _silos = activeSilos.ToArray();
        _siloHashes = _silos.Select(silo => Hash(silo.Address, silo.Generation.ToString(CultureInfo.InvariantCulture))).ToArray();
    }

    public IReadOnlyList<SiloIdentity> Silos => _silos;

    /// <summary>The owner of a grain; null when no silo is active.</summary>
    public SiloIdentity? Owner(GrainId grain)
    {
        if (_silos.Length == 0)
        {
            return null;
        }

        var grainHash = Hash(grain.Type, grain.Key);
        var best = 0;
        var bestScore = Mix(grainHash ^ _siloHashes[0]);
        for (var i = 1; i < _silos.Length; i++)
        {
            var score = Mix(grainHash ^ _siloHashes[i]);
            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return _silos[best];
    }

    private static ulong Hash(string first, string second)
    {
        var hash = 14695981039346656037UL;
        hash = Add(hash, first);
        hash = (hash ^ 0x1F) * 1099511628211UL; // Separator, so ("ab", "c") and ("a", "bc") differ.
        return Add(hash, second);

        static ulong Add(ulong hash, string text)
        {
            foreach (var character in text)
            {
                hash = (hash ^ (byte)character) * 1099511628211UL;
                hash = (hash ^ (byte)(character >> 8)) * 1099511628211UL;
            }

            return hash;
        }
    }

    // splitmix64's finalizer: spreads FNV's weak bits so that scores compare fairly.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
