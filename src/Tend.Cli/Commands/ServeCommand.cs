using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Registry;
using Tend.Server;

namespace Tend.Cli.Commands;

internal static class ServeCommand
{
    /// <summary>Loopback by default: exposing a model server to a network is a deliberate choice (--host 0.0.0.0).</summary>
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;

    private static readonly Option<int> Port = new("--port") { Description = "The port (0: any free port)", DefaultValueFactory = _ => DefaultPort };
    private static readonly Option<string> Host = new("--host") { Description = "The address to listen on", DefaultValueFactory = _ => DefaultHost };
    private static readonly Option<string?> UnknownFields = new("--unknown-fields")
    {
        Description = "A request field that is not a feature: ignore (and count it in tend_unknown_fields_total) or reject (400); default: tend.yaml's deploy.unknown_fields, else ignore",
    };

    public static Command Create(CliConsole console) =>
        new Command("serve", "Serve the champion over HTTP, with the web UI, until stopped") { Port, Host, UnknownFields }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            var reject = parsed.GetValue(UnknownFields) switch
            {
                null => ws.Spec.Deploy?.RejectUnknownFields ?? false,
                "ignore" => false,
                "reject" => true,
                var other => throw TendException.BadUsage($"--unknown-fields must be ignore or reject, got '{other}'"),
            };
            if (ws.Spec.Deploy is { } declared)
                DeployCommands.Report(cli.Err, await tend.Get<Deployments>().ApplyAsync(ws.Spec.Name, declared, ws.Actor, ct));
            var (app, url) = await TendServer.StartAsync(ws, parsed.GetValue(Host)!, parsed.GetValue(Port), ct, reject);
            await using (app)
            {
                cli.Emit(new { url, model = ws.Spec.Name, predict = $"{url}/v1/models/{ws.Spec.Name}/predict" },
                    o => o.MarkupLineInterpolated($"Serving [bold]{ws.Spec.Name}[/] at {url}/v1/models/{ws.Spec.Name}/predict; web UI at {url}/ (Ctrl+C stops)"));
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
