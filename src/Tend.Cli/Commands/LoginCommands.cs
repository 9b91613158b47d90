using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Backends;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Server.Access;

namespace Tend.Cli.Commands;

/// <summary><c>tend login URL</c> and <c>tend logout URL</c>: the token the team commands send to a server (<c>--server</c>, TEND_SERVER).</summary>
internal static class LoginCommands
{
    private static readonly Argument<string> Server = new("server") { Description = "The server's address, e.g. https://tend.example.com or http://127.0.0.1:8080" };

    public static Command Login(CliConsole console) =>
        new Command("login", $"Sign in to a Tend server with an API token ('tend tokens create' makes one), read from stdin or asked for; stored for you alone in {Credentials.FilePath}")
            { Server }.Run(console, async (parsed, cli, ct) =>
        {
            var server = Credentials.Server(parsed.GetValue(Server)!);
            var token = ReadToken(console, cli);
            if (TokenSecret.LooksLikeOne(token) && !TokenSecret.IsWellFormed(token))
                throw TendException.BadUsage("that is not a whole Tend token: its checksum does not match (was it cut short when copied?)");
            if (server.Scheme == "http" && !AllowedHosts.IsLoopback(server.Host))
                cli.Stderr.WriteLine($"warning: {server} is plain HTTP: the token crosses the network unencrypted; use https outside this machine");
            await using var tend = ServerTend.Connect(server, token);
            var identity = await tend.WhoAmIAsync(ct); // a token the server refuses is not stored
            Credentials.Save(server, new Credentials.SignIn(token, identity.Name, DateTimeOffset.UtcNow));
            cli.Emit(new { server, identity = identity.Name, via = identity.Via, credentials = Credentials.FilePath },
                o => o.MarkupLineInterpolated($"Signed in to {server} as [bold]{identity.Name}[/]; 'tend runs list --server {server}' (or TEND_SERVER={server}) acts there"));
            return 0;
        });

    public static Command Logout(CliConsole console) =>
        new Command("logout", "Forget the token stored for a server (it stays valid until it expires or is revoked: 'tend tokens revoke')") { Server }.Run(console, (parsed, cli, ct) =>
        {
            var server = Credentials.Server(parsed.GetValue(Server)!);
            var removed = Credentials.Remove(server);
            cli.Emit(new { server, removed }, o => o.MarkupLine(Markup.Escape(removed ? $"Signed out of {server}" : $"No token was stored for {server}")));
            return Task.FromResult(0);
        });

    /// <summary>The token: the first line of stdin when it is not a terminal (<c>echo $TOKEN | tend login URL</c>), else asked for without echo.</summary>
    private static string ReadToken(CliConsole console, CliContext cli)
    {
        var token = Console.IsInputRedirected || !console.Interactive
            ? Console.In.ReadLine()
            : cli.Err.Prompt(new TextPrompt<string>("API token:").Secret());
        return token?.Trim() is { Length: > 0 } given ? given : throw TendException.BadUsage("no token given: pipe one to stdin ('tend tokens create' makes one) or type it when asked");
    }
}
