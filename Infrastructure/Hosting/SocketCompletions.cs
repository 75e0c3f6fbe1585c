namespace Payments.Infrastructure.Hosting;

/// <summary>
/// Runs socket completions on the socket engine's own threads instead of queueing each one to the thread pool.
/// </summary>
/// <remarks>
/// Every ledger batch waits on PostgreSQL round trips, and the silo's one ledger committer is the queue all its money
/// passes through: with pooled completions each batch's answers waited about 1.7 ms for a pool thread on two cores
/// (docs/benchmarks.md, 2026-12-07). The runtime reads the switch once, when the process
/// opens its first socket, so this must run first in <c>Main</c>. It is safe because no code of this project blocks a
/// thread on I/O after the host has started; an operator can still set the variable to <c>0</c> to turn it off.
/// </remarks>
public static class SocketCompletions
{
    /// <summary>
    /// The runtime's switch, read by System.Net.Sockets' <c>SocketAsyncEngine</c>. Kestrel's own inline scheduling is a
    /// separate option, left off: requests still run on the thread pool.
    /// </summary>
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on unless the environment already says either way.</summary>
    public static void PreferInline()
    {
        if (Environment.GetEnvironmentVariable(InlineVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
    }
}
