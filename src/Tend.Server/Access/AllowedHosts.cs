using System.Net;

namespace Tend.Server.Access;

/// <summary>
/// The Host names a server answers to when none are configured (<c>--allowed-hosts</c>): the loopback names, the
/// address it listens on when that is one address, and this machine's name when it listens on all of them.
/// </summary>
public static class AllowedHosts
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public static IReadOnlyList<string> For(string listen) => listen switch
    {
        "0.0.0.0" or "::" or "*" or "+" => [.. Loopback, Dns.GetHostName()],
        _ when IsLoopback(listen) => Loopback,
        _ => [.. Loopback, listen.Contains(':') ? $"[{listen}]" : listen],
    };

    /// <summary>Whether an address to listen on is this machine's alone (where <c>--no-auth</c> may be used).</summary>
    public static bool IsLoopback(string listen) =>
        listen == "localhost" || IPAddress.TryParse(listen.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
