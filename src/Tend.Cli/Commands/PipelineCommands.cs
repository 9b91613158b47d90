using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Pipelines;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class PipelineCommands
{
    private static readonly Option<string?> Data = new("--data") { Description = "A CSV of old + newly collected data to ingest first (default: the newest dataset version)" };
    private static readonly Option<string?> Source = new("--source") { Description = "A source named under data.sources in tend.yaml to collect again first (appended when it says append: true)" };
    private static readonly Option<string> Trigger = new("--trigger") { Description = "Why it runs: manual, schedule, new_data or alert", DefaultValueFactory = _ => "manual" };

    public static Command Create(CliConsole console)
    {
        var run = new Command("run", "Ingest → validate → train → evaluate → gate → register → promote if better than the champion") { Data, Source, Trigger }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            if (parsed.GetValue(Data) is not null && parsed.GetValue(Source) is not null)
                throw Core.Errors.TendException.BadUsage("give --data or --source, not both");
            var (result, _) = await cli.StepAsync("Running the pipeline", () =>
                LifecyclePipeline.RunAsync(ws, parsed.GetValue(Data), parsed.GetValue(Source), parsed.GetValue(Trigger)!, ct));
            cli.Emit(result.Run, o => Render(o, result.Run));
            if (result.Failure is not { } failure)
                return 0;
            cli.Stderr.WriteLine($"error: {result.Run.Message}");
            return Core.Errors.ErrorCodes.ExitCode(failure);
        });
        var list = new Command("list", "List pipeline runs").Run(console, async (_, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var runs = await tend.Get<PipelineService>().ListAsync(ct);
            cli.Emit(new { pipelines = runs }, o =>
            {
                var table = new Table().AddColumns("pipeline run", "trigger", "started", "succeeded", "message");
                foreach (var r in runs)
                    table.AddRow(r.Id[..8], r.Trigger, Format.Time(r.Started), r.Succeeded ? "yes" : "[red]no[/]", Markup.Escape(r.Message));
                o.Write(table);
            });
            return 0;
        });
        return new Command("pipeline", "The retraining loop") { run, list };
    }

    public static void Render(IAnsiConsole o, PipelineRun run)
    {
        var table = new Table().AddColumns("step", "status", "seconds", "result");
        foreach (var s in run.Steps)
            table.AddRow(s.Name, s.Status switch { StepStatus.Failed => "[red]failed[/]", StepStatus.Skipped => "skipped", _ => "[green]ok[/]" },
                Format.Number(s.Seconds), Markup.Escape(s.Message));
        o.Write(table);
        o.MarkupLineInterpolated($"pipeline run {run.Id[..8]} ({run.Trigger}): {run.Message}");
    }
}
