using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Pipelines;

namespace Tend.Cli.Commands;

internal static class RunsCommands
{
    private static readonly Argument<string> RunId = new("run") { Description = "A run id or a unique prefix of it" };
    private static readonly Argument<string[]> RunIds = new("runs") { Description = "Two or more run ids or unique prefixes", Arity = new ArgumentArity(2, 100) };
    private static readonly Option<bool> DiffOnly = new("--diff-only") { Description = "Only the rows where the runs differ" };

    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "List training runs").Run(console, async (_, cli, ct) =>
        {
            await using var ws = await cli.OpenWorkspaceAsync(ct);
            var runs = await ws.Store.Runs.ListAsync(ct);
            cli.Emit(new { runs }, o => o.Write(Views.Runs(runs, ws.Spec.Metric.Name)));
            return 0;
        });
        var show = new Command("show", "Show one run: params, metrics, artifacts, environment") { RunId }.Run(console, async (parsed, cli, ct) =>
        {
            await using var ws = await cli.OpenWorkspaceAsync(ct);
            var run = await ws.GetRunAsync(parsed.GetValue(RunId)!, ct);
            cli.Emit(run, o => Views.Run(o, run));
            return 0;
        });
        var delete = new Command("delete", "Delete a run and the artifacts nothing else references") { RunId }.Run(console, async (parsed, cli, ct) =>
        {
            await using var ws = await cli.OpenWorkspaceAsync(ct);
            var deleted = await RunDeletion.DeleteAsync(ws, parsed.GetValue(RunId)!, Workspace.Actor, ct);
            cli.Emit(deleted, o => o.MarkupLineInterpolated(
                $"Deleted run {deleted.RunId}: {deleted.ArtifactsDeleted.Count} artifacts removed, {deleted.ArtifactsKept.Count} kept (still referenced)"));
            return 0;
        });
        var compare = new Command("compare", "Runs side by side: data, params and metrics; mean ± std over runs that differ only by seed") { RunIds, DiffOnly }.Run(console, async (parsed, cli, ct) =>
        {
            await using var ws = await cli.OpenWorkspaceAsync(ct);
            var runs = new List<Core.Domain.Run>();
            foreach (var id in parsed.GetValue(RunIds)!)
                runs.Add(await ws.GetRunAsync(id, ct));
            var comparison = RunComparison.Of(runs, parsed.GetValue(DiffOnly));
            cli.Emit(comparison, o => Views.Comparison(o, comparison));
            return 0;
        });
        return new Command("runs", "Inspect, compare and delete training runs") { list, show, compare, delete };
    }
}
