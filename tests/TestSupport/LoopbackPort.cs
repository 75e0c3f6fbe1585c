using System.Net;
using System.Net.Sockets;

namespace Payments.TestSupport;

/// <summary>Free TCP ports on loopback, for the HTTP and silo ports of test processes.</summary>
/// <remarks>
/// A port is chosen here and bound later by another host, so it must stay free in between. Ports the kernel hands
/// out for outgoing connections (database, HTTP clients) come from the ephemeral range, and one such connection once
/// took a port between the choice and the bind; so ports come from below that range, at random, never twice per
/// process, and only after a test bind succeeds.
/// </remarks>
public static class LoopbackPort
{
    private const int Lowest = 10_000;
    private const int Attempts = 1_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int Highest = EphemeralRangeStart() - 1;

    public static int Free()
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            lock (HandedOut)
            {
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest} after {Attempts} attempts.");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Linux's default is 32768-60999; elsewhere assume the IANA range (49152 up).
    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > Lowest + 1_000)
        {
            return start;
        }

        return 49_152;
    }
}
