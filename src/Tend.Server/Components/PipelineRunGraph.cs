using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Pipelines;

namespace Tend.Server.Components;

/// <summary>
/// A pipeline run's steps as their DAG, each box coloured by its state: ran, reused from the cache, failed, skipped,
/// running, or waiting its turn, with how long it took. The edges are what each step needs, as tend.yaml declares
/// it now (a step it no longer declares follows the one before it); the lifecycle's steps follow each other.
/// </summary>
public static class PipelineRunGraph
{
    public sealed record Shown(string Name, string State, string Detail, IReadOnlyList<string> Needs);

    private static readonly Dictionary<string, string> Colours = new()
    {
        ["ran"] = "#59a14f", ["cached"] = "#4e79a7", ["failed"] = "#e15759", ["skipped"] = "#bab0ac", ["running"] = "#edc948", ["waiting"] = "#d0d0d0",
    };

    public static IReadOnlyList<Shown> Of(PipelineRun run, PipelineSpec? declared)
    {
        var names = declared?.Graph().Order ?? (run.Pipeline is null ? LifecyclePipeline.StepNames : []);
        names = [.. run.Steps.Select(s => s.Name).Concat(names).Distinct()];
        var recorded = run.Steps.ToDictionary(s => s.Name);
        var running = run.Status == PipelineState.Running ? names.FirstOrDefault(n => !recorded.ContainsKey(n)) : null;
        return [.. names.Select((name, i) =>
        {
            IReadOnlyList<string> needs = declared?.Steps.FirstOrDefault(s => s.Name == name) is { } step ? step.Needs : i == 0 ? [] : [names[i - 1]];
            if (recorded.TryGetValue(name, out var s))
                return s.Status switch
                {
                    StepStatus.Skipped => new Shown(name, "skipped", s.Message, needs),
                    StepStatus.Failed => new Shown(name, "failed", $"failed after {Seconds(s.Seconds)}", needs),
                    _ when s.Cached => new Shown(name, "cached", $"cache hit, {Seconds(s.Seconds)}", needs),
                    _ => new Shown(name, "ran", $"ran {Seconds(s.Seconds)}{(s.Attempts > 1 ? $", {s.Attempts} attempts" : "")}", needs),
                };
            return name == running ? new Shown(name, "running", "running", needs)
                : new Shown(name, run.Status == PipelineState.Running ? "waiting" : "skipped", run.Status == PipelineState.Running ? "waiting" : "not run", needs);
        })];
    }

    public static string Svg(PipelineRun run, PipelineSpec? declared)
    {
        var steps = Of(run, declared);
        var index = steps.Select((s, i) => (s.Name, i)).ToDictionary(s => s.Name, s => s.i);
        var layers = new Dictionary<string, int>();
        int Layer(string name) => layers.TryGetValue(name, out var known) ? known
            : layers[name] = steps[index[name]].Needs.Where(index.ContainsKey).Select(n => Layer(n) + 1).DefaultIfEmpty(0).Max();
        var boxes = steps.Select((s, i) => new DagDrawing.Box(i, Layer(s.Name), Colours[s.State], s.State, s.Name, s.Detail, $"#step-{s.Name}", s.Name)).ToList();
        var edges = steps.SelectMany((s, i) => s.Needs.Where(index.ContainsKey).Select(n => (index[n], i)));
        return DagDrawing.Svg(boxes, edges, "pipeline-graph");
    }

    private static string Seconds(double seconds) => $"{seconds.ToString(seconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture)} s";
}
