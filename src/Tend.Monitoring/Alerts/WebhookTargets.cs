using System.Net;
using System.Net.Sockets;

namespace Tend.Monitoring.Alerts;

/// <summary>Why a webhook was not connected to: its address is this machine's or a private network's.</summary>
public sealed class WebhookTargetException(string message) : IOException(message);

/// <summary>
/// Where webhooks may go: public addresses, and the hosts the operator names in <see cref="Variable"/> (a webhook on
/// this machine or a private network: loopback, link-local, private and shared ranges are refused otherwise, so a
/// project's tend.yaml cannot make the server call its neighbours). The check is made on the address connected to, after
/// name resolution, so a name that resolves to a private address, or changes to one, is refused too.
/// </summary>
public sealed class WebhookTargets(IReadOnlyCollection<string> allowed)
{
    public const string Variable = "TEND_WEBHOOK_ALLOWED_HOSTS";

    /// <summary>The hosts <see cref="Variable"/> names, comma-separated (names or addresses).</summary>
    public static WebhookTargets FromEnvironment() =>
        new((Environment.GetEnvironmentVariable(Variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A client that connects only where a webhook may go (no proxy: the check is on the address connected to).</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { ConnectCallback = ConnectAsync, UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own timeout
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var usable = allowed.Contains(host, StringComparer.OrdinalIgnoreCase) ? addresses : addresses.Where(IsPublic).ToArray();
        if (usable.Length == 0)
            throw new WebhookTargetException($"the webhook's address is on this machine or a private network; name its host in {Variable} to allow it");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an address is on the public internet: not loopback, link-local, private (RFC 1918, fc00::/7), shared (100.64/10), unspecified or multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224 // private, "this network", multicast and reserved
                 || b[0] == 172 && b[1] is >= 16 and <= 31
                 || b[0] == 192 && b[1] == 168
                 || b[0] == 169 && b[1] == 254 // link-local, the cloud metadata address among them
                 || b[0] == 100 && b[1] is >= 64 and <= 127); // shared (carrier-grade NAT)
    }
}
