using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class PipelineCommands
{
    private static readonly Option<string?> Data = new("--data") { Description = "A CSV of old + newly collected data to ingest first (default: the newest dataset version)" };
    private static readonly Option<string?> Source = new("--source") { Description = "A source named under data.sources in tend.yaml to collect again first (appended when it says append: true)" };
    private static readonly Argument<string?> Name = new("pipeline") { Description = "A pipeline declared under 'pipelines:' in tend.yaml (default: the lifecycle)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<bool> NoCache = new("--no-cache") { Description = "Run every step of a declared pipeline, reusing nothing" };
    private static readonly Argument<string> RunId = new("run") { Description = "A pipeline run's id or its first 8+ characters (tend pipeline list)" };
    private static readonly Option<string?> From = new("--from") { Description = "Run this step again whatever the cache holds, and every step downstream of it" };
    private static readonly Option<string> Reason = new("--reason") { Description = "Why, for the audit trail", DefaultValueFactory = _ => "" };
    private static readonly Option<string> Trigger = new("--trigger") { Description = "Why it runs: manual, schedule, new_data or alert", DefaultValueFactory = _ => "manual" };
    private static readonly Option<bool> Queue = new("--queue")
    {
        Description = "Hand the declared pipeline's run to the workers ('tend worker') or servers of the shared store and wait; on the embedded store this process runs it",
    };

    public static Command Create(CliConsole console)
    {
        var run = new Command("run", "Run a pipeline declared in tend.yaml, reusing each step whose inputs did not change; or the lifecycle: ingest → validate → train → evaluate → gate → register → promote if better than the champion")
            { Name, NoCache, Data, Source, Trigger, Queue }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            if (parsed.GetValue(Data) is not null && parsed.GetValue(Source) is not null)
                throw Core.Errors.TendException.BadUsage("give --data or --source, not both");
            var declared = parsed.GetValue(Name);
            if (declared is not null && (parsed.GetValue(Data) ?? parsed.GetValue(Source)) is not null)
                throw Core.Errors.TendException.BadUsage("--data and --source are the lifecycle's; a declared pipeline reads the inputs its steps declare");
            if (parsed.GetValue(Queue) && declared is null)
                throw Core.Errors.TendException.BadUsage("--queue hands a declared pipeline to the workers; name one (the lifecycle runs here)");
            await using var engine = parsed.GetValue(Queue) ? await JobEngine.StartAsync(ws, 0, NullLogger.Instance, ct) : null;
            var (result, _) = await cli.StepAsync($"Running the pipeline{(engine is { Clustered: true } ? " on the workers" : "")}", () =>
                engine is not null ? engine.Dispatch.PipelineAsync(ws, new PipelineJob(declared!, parsed.GetValue(Trigger)!, !parsed.GetValue(NoCache)), ct)
                : declared is not null ? DeclaredPipeline.RunAsync(ws, declared, parsed.GetValue(Trigger)!, !parsed.GetValue(NoCache), ct)
                : LifecyclePipeline.RunAsync(ws, parsed.GetValue(Data), parsed.GetValue(Source), parsed.GetValue(Trigger)!, ct));
            return Report(cli, result);
        });
        var list = new Command("list", "List pipeline runs").Run(console, async (_, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var runs = await tend.Get<PipelineService>().ListAsync(ct, tend.Workspace.Spec.Name);
            cli.Emit(new { pipelines = runs }, o =>
            {
                var table = new Table().AddColumns("pipeline run", "pipeline", "trigger", "started", "state", "message");
                foreach (var r in runs)
                    table.AddRow(r.Id[..8], Markup.Escape(r.Name), Markup.Escape(r.Trigger), Format.Time(r.Started), State(r.Status), Markup.Escape(r.Message));
                o.Write(table);
            });
            return 0;
        });
        var resume = new Command("resume", "Run a declared pipeline's run again: every step that completed is reused from the cache, the rest run (--from STEP runs that step and what follows it again)")
            { RunId, From }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var earlier = await tend.Get<PipelineService>().GetAsync(parsed.GetValue(RunId)!, ct);
            var pipeline = earlier.Pipeline ?? throw Core.Errors.TendException.BadUsage($"run {earlier.Id[..8]} is of the lifecycle, which has no cache to resume from; 'tend pipeline run' starts it again");
            var (result, _) = await cli.StepAsync("Resuming the pipeline", () =>
                DeclaredPipeline.RunAsync(tend.Workspace, pipeline, $"resume of {earlier.Id[..8]}", true, ct, parsed.GetValue(From)));
            return Report(cli, result);
        });
        var explain = new Command("explain", "For each step of a pipeline run: reused from the cache, or ran, and then what of its inputs, command or environment had changed") { RunId }
            .Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var found = await tend.Get<PipelineService>().GetAsync(parsed.GetValue(RunId)!, ct);
            cli.Emit(new { run = found.Id, pipeline = found.Pipeline, steps = found.Steps.Select(s => new { step = s.Name, status = s.Status, cached = s.Cached, key = s.Key?.Hash, changed = s.Changed ?? [], run = s.Run }) }, o =>
            {
                var table = new Table().AddColumns("step", "cache", "why", "key");
                foreach (var s in found.Steps)
                    table.AddRow(s.Name, s.Status == StepStatus.Skipped ? "skipped" : s.Cached ? "[green]hit[/]" : "miss",
                        Markup.Escape(s.Cached ? s.Message : s.Changed is { Count: > 0 } changed ? string.Join("; ", changed) : s.Message), s.Key?.Hash[..12] ?? "");
                o.Write(table);
            });
            return 0;
        });
        var cancel = new Command("cancel", "Cancel a running pipeline run: its process stops the step that runs within seconds and records the run as cancelled") { RunId, Reason }
            .Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var asked = await tend.Get<PipelineService>().CancelAsync(parsed.GetValue(RunId)!, tend.Workspace.Actor, parsed.GetValue(Reason)!, ct);
            cli.Emit(asked, o => o.MarkupLineInterpolated($"asked pipeline run {asked.Id[..8]} ({asked.Name}) to stop; 'tend pipeline list' shows it cancelled once its process has"));
            return 0;
        });
        return new Command("pipeline", "Pipelines: those declared in tend.yaml, and the retraining loop") { run, resume, cancel, list, explain };
    }

    private static string State(PipelineState state) => state switch
    {
        PipelineState.Succeeded => "[green]succeeded[/]",
        PipelineState.Failed => "[red]failed[/]",
        PipelineState.Cancelled => "[yellow]cancelled[/]",
        _ => "running",
    };

    /// <summary>The run, and its failure's exit code.</summary>
    private static int Report(CliContext cli, PipelineResult result)
    {
        cli.Emit(result.Run, o => Render(o, result.Run));
        if (result.Failure is not { } failure)
            return 0;
        cli.Stderr.WriteLine($"error: {result.Run.Message}");
        return Core.Errors.ErrorCodes.ExitCode(failure);
    }

    public static void Render(IAnsiConsole o, PipelineRun run)
    {
        var table = new Table().AddColumns("step", "status", "seconds", "result");
        foreach (var s in run.Steps)
            table.AddRow(s.Name, s.Status switch { StepStatus.Failed => "[red]failed[/]", StepStatus.Skipped => "skipped", _ => s.Cached ? "[green]cached[/]" : "[green]ok[/]" },
                Format.Number(s.Seconds), Markup.Escape(s.Message));
        o.Write(table);
        o.MarkupLineInterpolated($"pipeline run {run.Id[..8]} ({run.Trigger}): {run.Message}");
    }
}
