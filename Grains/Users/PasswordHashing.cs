using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Payments.Grains.Users;

/// <summary>
/// Where this silo hashes passwords: at most <see cref="UserOptions.MaxConcurrentPasswordHashes"/> at once, each on a
/// thread of its own. A PBKDF2 hash is about 170 ms of CPU; run in a grain turn it would hold the activation, and run on
/// the thread pool (Task.Run) a queue of them delayed every request and grain turn behind it (a wallet read went from
/// 2.5 ms to 1.7 s under 12 wrong logins a second). Here a hash that does not get a slot is refused at once: the caller
/// answers 503 with Retry-After, and nothing waits.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private readonly ConcurrencyLimiter _slots;
    private readonly Lazy<string> _decoy;

    public PasswordHashing(IOptions<UserOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Iterations = options.Value.PasswordHashIterations;
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.EffectiveMaxConcurrentPasswordHashes, QueueLimit = 0 });
        _decoy = new Lazy<string>(() => PasswordHasher.Hash("decoy-password", Iterations), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Iterations { get; }

    /// <summary>A slot for one hash, or null when all are taken. Dispose it when done (after <see cref="Slot.RunAsync{T}"/>).</summary>
    public Slot? TryEnter()
    {
        var lease = _slots.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return new Slot(lease);
        }

        lease.Dispose();
        return null;
    }

    /// <summary>Checks a password against a stored hash, or against a decoy of the same cost when there is none (an unknown user), so both take the same time.</summary>
    public bool Verify(string password, string? stored) => PasswordHasher.Verify(password, stored ?? _decoy.Value) && stored is not null;

    public void Dispose() => _slots.Dispose();

    /// <summary>One taken slot.</summary>
    public sealed class Slot(RateLimitLease lease) : IDisposable
    {
        private int _disposed;

        /// <summary>
        /// Runs <paramref name="work"/> on a new thread. <see cref="TaskScheduler.Default"/> is named because grain code's
        /// current scheduler is the activation's, which would run it in the grain's turn.
        /// </summary>
        public Task<T> RunAsync<T>(Func<T> work) =>
            Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        /// <summary>Gives the slot back; safe to call more than once (callers free it as soon as the hash is done).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                lease.Dispose();
            }
        }
    }
}
