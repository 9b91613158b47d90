using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Pipelines;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class RunsCommands
{
    private static readonly Argument<string> RunId = new("run") { Description = "A run id or a unique prefix of it" };
    private static readonly Argument<string[]> RunIds = new("runs") { Description = "Two or more run ids or unique prefixes", Arity = new ArgumentArity(2, 100) };
    private static readonly Option<bool> DiffOnly = new("--diff-only") { Description = "Only the rows where the runs differ" };
    private static readonly Option<string?> Where = new("--where")
    {
        Description = "Only runs meeting every condition: metrics.NAME, params.NAME, tags.NAME or an attribute (id, name, status, project, dataset, parent, started, ended), an operator (= != < <= > >= like) and a value, joined by 'and'",
    };
    private static readonly Option<string?> OrderBy = new("--order-by") { Description = "Fields with asc or desc, comma-separated (default: newest first), e.g. 'metrics.auc desc'" };
    private static readonly Option<int> Limit = new("--limit") { Description = "How many runs to show", DefaultValueFactory = _ => RunQuery.DefaultLimit };
    private static readonly Option<int> Offset = new("--offset") { Description = "How many runs to skip", DefaultValueFactory = _ => 0 };
    private static readonly Argument<string[]> Tags = new("tags") { Description = "KEY=VALUE pairs", Arity = ArgumentArity.OneOrMore };
    private static readonly Argument<string> Note = new("note") { Description = "The run's note (replaces the old one)" };
    private static readonly Argument<string> MetricKey = new("metric") { Description = "The metric's key" };
    private static readonly Option<string> EndStatus = new Option<string>("--status") { Description = "How the run ended", DefaultValueFactory = _ => "killed" }.AcceptOnlyFromAmong("killed", "failed");
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why it ended (default: the status)" };
    private static readonly Option<int> MaxPoints = new("--max-points") { Description = "Downsample longer histories to this many step ranges", DefaultValueFactory = _ => 50 };

    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "List runs, newest first, filtered and ordered by params, metrics, tags and attributes") { Where, OrderBy, Limit, Offset }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var page = await tend.RunsAsync(parsed.GetValue(Where), parsed.GetValue(OrderBy), parsed.GetValue(Offset), parsed.GetValue(Limit), ct);
                var metric = (await tend.ProjectAsync(ct)).Metric.Name;
                cli.Emit(page, o =>
                {
                    o.Write(Views.Runs(page.Runs, metric));
                    o.MarkupLineInterpolated($"runs {Math.Min(page.Offset + 1, page.Total)}–{page.Offset + page.Runs.Count} of {page.Total}");
                });
                return 0;
            });
        var tag = new Command("tag", "Set tags on a run (KEY=VALUE …), at any time") { RunId, Tags }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var tags = parsed.GetValue(Tags)!.Select(t => t.Split('=', 2)).ToList();
            if (tags.FirstOrDefault(t => t.Length != 2 || t[0].Length == 0) is { } bad)
                throw TendException.BadUsage($"a tag is KEY=VALUE, got '{string.Join("=", bad)}'");
            var run = await tend.AnnotateAsync(parsed.GetValue(RunId)!, new RunLog(Tags: tags.ToDictionary(t => t[0], t => t[1])), ct);
            cli.Emit(new { run_id = run.Id, tags = tags.ToDictionary(t => t[0], t => t[1]) }, o => o.MarkupLineInterpolated($"Tagged run {run.Id}"));
            return 0;
        });
        var note = new Command("note", "Write a run's note, at any time") { RunId, Note }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var run = await tend.AnnotateAsync(parsed.GetValue(RunId)!, new RunLog(Note: parsed.GetValue(Note)), ct);
            cli.Emit(new { run_id = run.Id, note = parsed.GetValue(Note) }, o => o.MarkupLineInterpolated($"Noted run {run.Id}"));
            return 0;
        });
        var history = new Command("history", "A metric's values by step (downsampled on the server when long)") { RunId, MetricKey, MaxPoints }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var maxPoints = parsed.GetValue(MaxPoints);
            if (maxPoints < 2)
                throw TendException.BadUsage($"--max-points must be at least 2, got {maxPoints}");
            var values = await tend.MetricAsync(parsed.GetValue(RunId)!, parsed.GetValue(MetricKey)!, maxPoints, ct);
            cli.Emit(values, o => o.Write(Views.History(values)));
            return 0;
        });
        var show = new Command("show", "Show one run: params, metrics, artifacts, environment") { RunId }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var run = await tend.RunAsync(parsed.GetValue(RunId)!, ct);
            cli.Emit(run, o => Views.Run(o, run));
            return 0;
        });
        var delete = new Command("delete", "Delete a run and the artifacts nothing else references") { RunId }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var deleted = await tend.DeleteRunAsync(parsed.GetValue(RunId)!, ct);
            cli.Emit(deleted, o => o.MarkupLineInterpolated(
                $"Deleted run {deleted.RunId}{(deleted.ChildRuns.Count > 0 ? $" and its {deleted.ChildRuns.Count} child runs" : "")}: {deleted.ArtifactsDeleted.Count} artifacts removed, {deleted.ArtifactsKept.Count} kept (still referenced)"));
            return 0;
        });
        var end = new Command("end", "End a run that is still running (its process crashed or will not end it) as killed or failed") { RunId, EndStatus, Reason }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var status = Enum.Parse<Core.Domain.RunStatus>(parsed.GetValue(EndStatus)!, ignoreCase: true);
            var run = await tend.EndRunAsync(parsed.GetValue(RunId)!, status, parsed.GetValue(Reason), ct);
            cli.Emit(run, o => o.MarkupLineInterpolated($"Ended run {run.Id} as {parsed.GetValue(EndStatus)}: {run.Error}"));
            return 0;
        });
        var compare = new Command("compare", "Runs side by side: data, params and metrics; mean ± std over runs that differ only by seed") { RunIds, DiffOnly }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var comparison = await tend.CompareAsync(parsed.GetValue(RunIds)!, parsed.GetValue(DiffOnly), ct);
            cli.Emit(comparison, o => Views.Comparison(o, comparison));
            return 0;
        });
        return new Command("runs", "Inspect, compare, tag, end and delete training runs") { list, show, history, compare, tag, note, end, delete };
    }
}
