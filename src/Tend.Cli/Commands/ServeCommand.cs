using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Server;
using Tend.Server.Access;

namespace Tend.Cli.Commands;

internal static class ServeCommand
{
    /// <summary>Loopback by default: exposing a model server to a network is a deliberate choice (--host 0.0.0.0).</summary>
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;

    private static readonly Option<int> Port = new("--port") { Description = "The port (0: any free port)", DefaultValueFactory = _ => DefaultPort };
    private static readonly Option<string> Host = new("--host") { Description = "The address to listen on", DefaultValueFactory = _ => DefaultHost };
    private static readonly Option<bool> NoAuth = new("--no-auth") { Description = "Serve without authentication, everyone acting as 'anonymous' (an admin): on a loopback address only" };
    private static readonly Option<string[]> AllowedHosts = new("--allowed-hosts")
    {
        Description = "The Host names the server answers to (default: the loopback names, and the address it listens on or this machine's name)",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<string[]> CorsOrigins = new("--cors-origins")
    {
        Description = "Web origins a browser may call the API from, with a token (default: none; CORS closed)",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> OidcIssuer = new("--oidc-issuer")
    {
        Description = "An OpenID Connect issuer whose signed tokens the server takes too (its discovery document names the keys); default: TEND_OIDC_ISSUER",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TEND_OIDC_ISSUER"),
    };
    private static readonly Option<string?> OidcAudience = new("--oidc-audience")
    {
        Description = "The audience its tokens must be for; default: TEND_OIDC_AUDIENCE, else tend",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TEND_OIDC_AUDIENCE") ?? "tend",
    };
    private static readonly Option<string?> OidcClientId = new("--oidc-client-id")
    {
        Description = $"Let people sign in to the web UI through the provider, as this client (code flow with PKCE; a client secret comes from {ProviderSignIn.ClientSecretVariable}); default: TEND_OIDC_CLIENT_ID",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TEND_OIDC_CLIENT_ID"),
    };
    private static readonly Option<string?> OidcRolesClaim = new("--oidc-roles-claim")
    {
        Description = "The claim that carries a caller's roles, each PROJECT:ROLE (or a role for every project); default: TEND_OIDC_ROLES_CLAIM, else tend_roles",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TEND_OIDC_ROLES_CLAIM") ?? "tend_roles",
    };

    /// <summary>The first admin's token, when the operator chooses it instead of having one made and printed.</summary>
    public const string AdminTokenVariable = "TEND_ADMIN_TOKEN";

    /// <summary>The store's first admin's token as <see cref="AdminTokenVariable"/> gives it, or null.</summary>
    public static string? GivenAdminToken => Environment.GetEnvironmentVariable(AdminTokenVariable) is { Length: > 0 } given ? given : null;

    private static readonly Option<string?> UnknownFields = new("--unknown-fields")
    {
        Description = "A request field that is not a feature: ignore (and count it in tend_unknown_fields_total) or reject (400); default: tend.yaml's deploy.unknown_fields, else ignore",
    };

    private static readonly Option<int> Slots = new("--slots")
    {
        Description = $"How many jobs the server runs at once: the pipeline runs and scheduled monitors it starts, and on a shared store any other's (default: {ServerSlots.Default}; 0: only the workers run them, on a shared store; the embedded one runs them here, in at least one)",
        DefaultValueFactory = _ => ServerSlots.Default,
    };

    public static Command Create(CliConsole console) =>
        new Command("serve", "Serve the champion over HTTP, with the web UI, until stopped") { Port, Host, UnknownFields, NoAuth, AllowedHosts, CorsOrigins, OidcIssuer, OidcAudience, OidcRolesClaim, OidcClientId, Slots }.Run(console, async (parsed, cli, ct) =>
        {
            if (parsed.GetValue(Slots) is < 0 and var slots)
                throw TendException.BadUsage($"--slots must be 0 or more, got {slots}");
            var host = parsed.GetValue(Host)!;
            var access = new ServerAccess(parsed.GetValue(NoAuth),
                AllowedHosts: parsed.GetValue(AllowedHosts) is { Length: > 0 } hosts ? hosts : null,
                CorsOrigins: parsed.GetValue(CorsOrigins) is { Length: > 0 } origins ? origins : null,
                Oidc: parsed.GetValue(OidcIssuer) is { Length: > 0 } issuer ? new IdentityProvider(issuer, parsed.GetValue(OidcAudience)!, RolesClaim: parsed.GetValue(OidcRolesClaim)!,
                    ClientId: parsed.GetValue(OidcClientId) is { Length: > 0 } client ? client : null) : null);
            if (access.Off && !Server.Access.AllowedHosts.IsLoopback(host))
                throw TendException.BadField("no_auth", $"--no-auth is for a loopback address only (127.0.0.1, ::1, localhost), not {host}: anyone who reaches it would be an admin");
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            var made = access.Off ? null
                : await tend.Get<AccessService>().EnsureAdminAsync(GivenAdminToken, AdminTokenVariable, ct);
            if (access.Off)
                cli.Err.MarkupLine("[yellow]warning:[/] authentication is off (--no-auth): every caller on this machine acts as 'anonymous', an admin of every project");
            var reject = parsed.GetValue(UnknownFields) switch
            {
                null => ws.Spec.Deploy?.RejectUnknownFields ?? false,
                "ignore" => false,
                "reject" => true,
                var other => throw TendException.BadUsage($"--unknown-fields must be ignore or reject, got '{other}'"),
            };
            if (ws.Spec.Deploy is { } declared)
                DeployCommands.Report(cli.Err, await tend.Get<Deployments>().ApplyAsync(ws.Spec.Name, declared, ws.Actor, ct));
            var (app, url) = await TendServer.StartAsync(ws, host, parsed.GetValue(Port), ct, reject, access, parsed.GetValue(Slots));
            await using (app)
            {
                cli.Emit(new { url, model = ws.Spec.Name, predict = $"{url}/v1/models/{ws.Spec.Name}/predict", admin_token = made }, o =>
                {
                    if (made is not null)
                        o.MarkupLineInterpolated($"The store had no token, so one was made for [bold]{AccessService.FirstAdmin}[/], an admin of every project. It is shown [bold]once[/]; keep it (or set {AdminTokenVariable} before the first start):\n\n    {made}\n");
                    o.MarkupLineInterpolated($"Serving [bold]{ws.Spec.Name}[/] at {url}/v1/models/{ws.Spec.Name}/predict; web UI at {url}/ (Ctrl+C stops)");
                });
                await cli.Stdout.FlushAsync(ct);
                await WaitForStopAsync(app, ct);
                await app.StopAsync(CancellationToken.None);
            }
            return 0;
        });

    /// <summary>Waits for Ctrl+C or SIGTERM, whichever of the CLI and the web host sees it first.</summary>
    public static async Task WaitForStopAsync(WebApplication app, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
