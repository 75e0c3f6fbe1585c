using System.Net;
using System.Net.Sockets;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Where webhooks may go: never to an address inside the platform's network (loopback, private, carrier-grade NAT,
/// link-local — which holds the cloud metadata service at 169.254.169.254 — unique-local, multicast, unspecified),
/// unless <see cref="WebhookOptions.AllowPrivateTargets"/>. Checked on the URL's addresses when an endpoint is saved
/// and again on the address each connection is made to, since DNS may answer otherwise by then.
/// </summary>
public static class WebhookTargets
{
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] switch
            {
                0 or 10 or 127 => false,
                100 => bytes[1] is < 64 or > 127, // 100.64.0.0/10, carrier-grade NAT
                169 => bytes[1] != 254, // link-local and the metadata service
                172 => bytes[1] is < 16 or > 31,
                192 => !(bytes[1] == 168 || (bytes[1] == 0 && bytes[2] == 0)),
                >= 224 => false, // multicast and reserved
                _ => true,
            };
        }

        // IPv6: link-local fe80::/10, unique-local fc00::/7 (and the metadata service's fd00:ec2::254), multicast.
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }

    /// <summary>Why <paramref name="url"/> cannot be an endpoint, or null: its form, its scheme, and every address its host resolves to.</summary>
    public static async Task<string?> ProblemAsync(string url, WebhookOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "url must be an absolute URL without credentials or fragment.";
        }

        if (uri.Port is < 1 or > 65_535)
        {
            return "url's port must be from 1 to 65535."; // Port 0 names no listening service: nothing could be delivered.
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.AllowHttp))
        {
            return options.AllowHttp ? "url must use https or http." : "url must use https.";
        }

        if (options.AllowPrivateTargets)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "url's host does not resolve.";
        }

        return addresses.Length == 0 ? "url's host does not resolve."
            : addresses.All(IsPublic) ? null
            : "url's host is a loopback, private, link-local or metadata address.";
    }
}
