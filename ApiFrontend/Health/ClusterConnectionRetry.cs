namespace Payments.ApiFrontend.Health;

/// <summary>
/// A front end may start before any silo: its start waits, trying to reach a gateway every 2 s, instead of failing
/// (the orchestrator sees it not ready meanwhile).
/// </summary>
internal static class ClusterConnectionRetry
{
    public static async Task<bool> RetryForeverAsync(Exception error, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return true;
    }
}
