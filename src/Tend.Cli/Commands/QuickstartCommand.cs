using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Quickstart;
using Tend.Cli.Rendering;
using Tend.Core.Errors;

namespace Tend.Cli.Commands;

internal static class QuickstartCommand
{
    public const string DefaultDir = "tend-quickstart";

    private static readonly Option<string> Dir = new("--dir") { Description = "The folder to create the project in", DefaultValueFactory = _ => DefaultDir };
    private static readonly Option<bool> NoServe = new("--no-serve") { Description = "Stop the server at the end instead of serving on" };

    public static Command Create(CliConsole console) =>
        new Command("quickstart", "Run the whole lifecycle on the spam data: define, ingest, train, evaluate, register, serve, monitor a shift, retrain") { Dir, NoServe }
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var run = new QuickstartRun(cli, Path.GetFullPath(parsed.GetValue(Dir)!));
                var stages = await run.RunAsync(ct);
                var failed = stages.FirstOrDefault(s => s.Status == "failed");
                var serving = failed is null && !parsed.GetValue(NoServe);
                cli.Emit(new { workspace = run.Dir, url = run.Url, token = run.Token, serving, stages }, o => Summary(o, stages, run.Dir, run.Url, run.Token, serving));
                if (failed is not null)
                    return TendCli.Fail(cli, ErrorCode.Unexpected, $"quickstart stopped at '{failed.Name}': {failed.Summary}");
                if (serving)
                {
                    await cli.Stdout.FlushAsync(ct);
                    await ServeCommand.WaitForStopAsync(run.Server!, ct);
                }
                return 0;
            });

    private static void Summary(IAnsiConsole o, IReadOnlyList<QuickstartStage> stages, string dir, string? url, string? token, bool serving)
    {
        var table = new Table().Title("Tend quickstart").AddColumns("stage", "status", "time", "key figures");
        foreach (var s in stages)
            table.AddRow(s.Name, s.Status == "ok" ? "[green]ok[/]" : $"[red]{s.Status}[/]", Format.Seconds(s.Seconds), Markup.Escape(s.Summary));
        o.Write(table);
        o.MarkupLineInterpolated($"Total {Format.Seconds(stages.Sum(s => s.Seconds))}. The project is in {dir}: try 'tend --workspace {dir} runs list'.");
        if (serving && url is not null)
            o.MarkupLineInterpolated($"Serving at {url}/v1/models/spam/predict. Web UI: [bold]{url}/[/], signed in with the admin token [bold]{token}[/] (shown once; Ctrl+C stops)");
    }
}
