using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Registry;

namespace Tend.Cli.Commands;

internal static class LineageCommand
{
    private static readonly Argument<string> Reference = new("model") { Description = "NAME, NAME@VERSION or NAME@ALIAS" };

    public static Command Create(CliConsole console) =>
        new Command("lineage", "Where a model version comes from and what happened to it: data → run → evaluations → approvals → alias moves → deployments, and the pipeline runs that made it") { Reference }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var lineage = await tend.LineageAsync(parsed.GetValue(Reference)!, ct);
                cli.Emit(lineage, o =>
                {
                    var tree = new Tree($"[bold]{lineage.Model.Name}@{lineage.Model.Version}[/] sha256 {lineage.Model.Checksum[..12]} ({string.Join(", ", lineage.Model.Aliases)})");
                    var data = tree.AddNode("data");
                    foreach (var d in lineage.Datasets)
                        data.AddNode(Markup.Escape($"{d.Reference}: {d.Rows} rows from {d.Source}, added {Format.Time(d.Created)} by {d.Actor}, schema revision {d.SchemaRevision}"));
                    var run = lineage.Run;
                    var runNode = tree.AddNode(Markup.Escape($"run {run.Id[..8]}: {run.Trainer}, {Format.Metrics(run.Metrics)}"));
                    runNode.AddNode(Markup.Escape($"split {run.Params.GetValueOrDefault("split.method", "")}, seed {run.Params.GetValueOrDefault("seed", "")}; " +
                        $"code {run.Environment.GetValueOrDefault("git_commit", "(not in git)")}; {run.Environment.GetValueOrDefault("dotnet", "")}, ML.NET {run.Environment.GetValueOrDefault("microsoft.ml", "")}"));
                    var evaluations = tree.AddNode("evaluations");
                    foreach (var e in lineage.Evaluations)
                        evaluations.AddNode(Markup.Escape($"{Format.Time(e.Created)} by {e.Actor} on {e.Data}: {(e.Passed ? "passed" : "failed: " + string.Join("; ", e.FailedGates))}"));
                    var approvals = tree.AddNode("approvals");
                    foreach (var a in lineage.Approvals)
                        approvals.AddNode(Markup.Escape($"{a.Alias} asked by {a.Requester} ({a.Reason}): {a.Status.ToString().ToLowerInvariant()}{(a.Decider is null ? "" : " by " + a.Decider)}"));
                    var moves = tree.AddNode("alias moves");
                    foreach (var m in lineage.AliasMoves)
                        moves.AddNode(Markup.Escape($"{Format.Time(m.Time)} {m.Alias} {m.From?.ToString() ?? "–"} → {m.To} ({m.Kind}) by {m.Actor}: {m.Reason}"));
                    var deployments = tree.AddNode("deployments");
                    foreach (var d in lineage.Deployments)
                        deployments.AddNode(Markup.Escape($"{Format.Time(d.Time)} {d.Action} by {d.Actor}: {(d.Role is null ? "no longer deployed" : d.Role)}{(d.Percent is { } p ? $" on {p:0.##}%" : "")} ({d.Reason})"));
                    var pipelines = tree.AddNode("pipeline runs");
                    foreach (var p in lineage.Pipelines ?? [])
                        pipelines.AddNode(Markup.Escape($"{Format.Time(p.Started)} {p.Pipeline} run {p.Id[..8]} ({p.Trigger}), {p.State.ToString().ToLowerInvariant()}: {string.Join(", ", p.Made.Select(m => $"{m.Key} {m.Value}"))}"));
                    o.Write(tree);
                });
                return 0;
            });
}
