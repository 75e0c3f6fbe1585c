using System.Net;
using System.Net.Sockets;

namespace Orleans.Payments.TestSupport;

/// <summary>Free TCP ports on loopback, for the HTTP and silo ports of test processes.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
