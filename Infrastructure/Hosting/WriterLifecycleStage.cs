namespace Payments.Infrastructure.Hosting;

/// <summary>
/// Where the silo's writers that grains commit through (ledger writer, notification inbox, feed fan-out) sit in the
/// silo lifecycle. Stages stop in reverse order, and the silo deactivates its grains when it stops
/// <see cref="ServiceLifecycleStage.GrainDeactivation"/>; these writers stop later, so a call
/// still running at a graceful stop can commit (or is answered 503 retryable) before its writer shuts.
/// </summary>
public static class WriterLifecycleStage
{
    public const int Value = ServiceLifecycleStage.ApplicationServices;
}
