namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>A network's injected failures: added latency, a share of calls that fail, or the network down.</summary>
[GenerateSerializer, Immutable]
public sealed record NetworkFaults
{
    public static NetworkFaults None { get; } = new();

    [Id(0)] public TimeSpan Latency { get; init; }

    /// <summary>0..1.</summary>
    [Id(1)] public double ErrorRate { get; init; }

    [Id(2)] public bool Down { get; init; }

    public string? Problem() =>
        Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(1) ? "latency is between 0 and 60,000 ms."
        : ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate) ? "errorRate is between 0 and 1."
        : null;
}
