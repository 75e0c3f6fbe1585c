namespace Payments.Benchmarks.Transfers;

/// <summary>Who pays whom: each worker draws (sender index, receiver index) pairs over the funded wallets.</summary>
internal sealed record TransferScenario(string Name, int Workers, Func<int, Random, (int From, int To)> NextPair)
{
    public const int UniformWallets = 10_000;
    public const int HotSenders = 64;

    /// <summary>Wallet 0 receives; wallets 1..64 send, one per worker (≥ 64 concurrent senders).</summary>
    public static TransferScenario HotWallet { get; } = new("hot-wallet", HotSenders, (worker, _) => (1 + worker, 0));

    /// <summary>Random distinct pairs among 10,000 wallets.</summary>
    public static TransferScenario Uniform { get; } = new("uniform", 256, (_, random) =>
    {
        var from = random.Next(UniformWallets);
        var to = random.Next(UniformWallets - 1);
        return (from, to >= from ? to + 1 : to);
    });

    /// <summary>Wallet 0 pays random others.</summary>
    public static TransferScenario HotSender { get; } = new("hot-sender", 64, (_, random) => (0, 1 + random.Next(UniformWallets - 1)));

    public static IReadOnlyList<TransferScenario> All { get; } = [HotWallet, Uniform, HotSender];

    /// <summary>
    /// The scenario with <paramref name="factor"/> times its workers (hot-wallet has one sender per worker, so its
    /// senders grow with it; every sender must be one of the funded wallets).
    /// </summary>
    public TransferScenario Scaled(int factor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var workers = Workers * factor;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(workers, UniformWallets);
        return this with { Workers = workers };
    }
}
