using Tend.Core.Errors;
using Tend.Core.Pipelines;

namespace Tend.Core.Spec;

/// <summary>
/// A pipeline declared in tend.yaml (<c>pipelines:</c>): named steps, each run after the steps it needs; the
/// <see cref="Triggers"/> that start it when <c>tend serve</c> runs, at most <see cref="Limit"/> times in a window.
/// </summary>
public sealed record PipelineSpec(string Name, IReadOnlyList<StepSpec> Steps, IReadOnlyList<TriggerSpec>? Triggers = null, RunLimit? Limit = null)
{
    /// <summary>The steps as a DAG (checked when tend.yaml was loaded, where errors name the line: <paramref name="where"/>).</summary>
    public PipelineGraph Graph(Func<string, string>? where = null) => PipelineGraph.Of([.. Steps.Select(s => (s.Name, s.Needs))], where ?? (step => $"step '{step}'"));

    public StepSpec Step(string name) => Steps.First(s => s.Name == name);
}

/// <summary>
/// One step: a built-in stage (<see cref="Kind"/>: collect, ingest, validate, train… with its <see cref="Argument"/>,
/// reading what the steps it needs made: <see cref="StepKinds"/>), or a program (<see cref="Command"/>, run by the
/// shell in the project folder) that reads its
/// <see cref="Inputs"/> (files and folders of the project, an upstream step's outputs among them) and the
/// <see cref="Environment"/> variables it names, and writes its <see cref="Outputs"/>; the <see cref="Sources"/> it
/// names (under <c>data.sources</c>) count as inputs by what was last observed of them (a database table, a URL). What
/// it depends on is exactly these, so with <see cref="Cache"/> a run whose inputs, command and environment are unchanged reuses its outputs.
/// A step whose process is killed (a signal, an OOM kill) or fails on I/O is tried up to <see cref="Retries"/> more times.
/// </summary>
public sealed record StepSpec(string Name, string Kind, string Argument, IReadOnlyList<string> Needs, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<string> Environment, bool Cache = true, int Retries = 0, IReadOnlyList<string>? Sources = null)
{
    public const int MaxRetries = 10;

    /// <summary>The shell command of a <c>command</c> step; null for a built-in stage.</summary>
    public string? Command => Kind == StepKinds.Command ? Argument : null;
}

/// <summary>Reads <c>pipelines:</c>: a list of pipelines, each a name and a list of steps.</summary>
internal static class PipelineLoader
{
    private static readonly string[] PipelineKeys = ["name", "steps", "triggers", "limit"];
    private static readonly string[] StepKeys = ["name", StepKinds.Command, .. StepKinds.BuiltIn, "needs", "inputs", "outputs", "env", "cache", "retries", "sources"];

    public static IReadOnlyList<PipelineSpec>? Load(YamlMap root, DataSpec? data, MonitorSpec monitor, TrainSpec train)
    {
        if (!root.Keys.Contains("pipelines"))
            return null;
        var declared = new Dictionary<string, YamlMap>(StringComparer.Ordinal);
        var pipelines = root.List("pipelines", PipelineKeys).Select(p =>
        {
            var name = Name(p, "pipeline");
            var lines = new Dictionary<string, YamlMap>(StringComparer.Ordinal);
            var steps = p.List("steps", StepKeys).Select(s =>
            {
                var stepName = Name(s, "step");
                var (kind, argument) = StepKinds.Load(s, stepName, data, train);
                var step = new StepSpec(stepName, kind, argument, s.Strings("needs") ?? [], Paths(s, "inputs"), Paths(s, "outputs"),
                    s.Strings("env") ?? [], s.Bool("cache") ?? StepKinds.CachedByDefault(kind), s.Integer("retries") ?? 0, s.Strings("sources") ?? []);
                foreach (var source in step.Sources!)
                    if (data?.Sources.Any(d => d.Name == source) != true)
                        throw s.Error("sources", $"step '{step.Name}' names source '{source}', which is not under data.sources; {TriggerLoader.Named(data?.Sources.Select(d => d.Name) ?? [])}");
                if (step.Retries is < 0 or > StepSpec.MaxRetries)
                    throw s.Error("retries", $"'retries' of step '{step.Name}' must be 0 to {StepSpec.MaxRetries}, got {step.Retries}");
                lines.TryAdd(step.Name, s);
                return step;
            }).ToList();
            if (steps.Count == 0)
                throw p.Error("steps", $"pipeline '{name}' needs at least one step under 'steps'");
            var spec = new PipelineSpec(name, steps, TriggerLoader.Load(p, name, data, monitor), TriggerLoader.Limit(p, name));
            var graph = spec.Graph(step => lines[step].Where("needs"));
            // A step that reads what another writes runs after it only when it needs it.
            foreach (var step in steps)
                foreach (var input in step.Inputs)
                    if (steps.FirstOrDefault(w => w.Outputs.Contains(input)) is { } writer && writer != step && !graph.Upstream(step.Name).Contains(writer.Name))
                        throw lines[step.Name].Error("inputs", $"input '{input}' of step '{step.Name}' is written by step '{writer.Name}', which it does not need; add '{writer.Name}' under its 'needs'");
            declared[name] = p;
            return spec;
        }).ToList();
        if (pipelines.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw root.Error("pipelines", $"pipeline name '{twice.Key}' appears twice under 'pipelines'");
        CheckRunFinished(pipelines, declared);
        return pipelines;
    }

    /// <summary>A run_finished trigger names another declared pipeline, and no pipeline starts itself through others (a loop would never end).</summary>
    private static void CheckRunFinished(IReadOnlyList<PipelineSpec> pipelines, IReadOnlyDictionary<string, YamlMap> declared)
    {
        IEnumerable<string> After(PipelineSpec p) => (p.Triggers ?? []).Where(t => t.Kind == TriggerKind.RunFinished).Select(t => t.Target);
        foreach (var pipeline in pipelines)
            foreach (var after in After(pipeline))
                if (after == pipeline.Name || pipelines.All(p => p.Name != after))
                    throw TendException.BadUsage($"{declared[pipeline.Name].Where("triggers")}: 'run_finished' of pipeline '{pipeline.Name}' must name another pipeline under 'pipelines'; got '{after}'");
        // A run of a pipeline starts the pipelines that name it; a path of those back to where it began never ends.
        var starts = pipelines.ToDictionary(p => p.Name, p => pipelines.Where(q => After(q).Contains(p.Name)).Select(q => q.Name).ToList());
        List<string>? LoopFrom(IReadOnlyList<string> path) =>
            starts[path[^1]].Select(next => next == path[0] ? [.. path, next] : path.Contains(next) ? null : LoopFrom([.. path, next])).FirstOrDefault(loop => loop is not null);
        foreach (var pipeline in pipelines)
            if (LoopFrom([pipeline.Name]) is { } loop)
                throw TendException.BadUsage($"{declared[pipeline.Name].Where("triggers")}: the pipelines start each other in a loop through 'run_finished': {string.Join(" → ", loop)}");
    }

    private static string Name(YamlMap map, string what)
    {
        var name = map.String("name", required: true)!;
        return Names.IsValid(name) ? name : throw map.Error("name", $"{what} name '{name}' is not valid; use {Names.Rule}");
    }

    /// <summary>Paths in the project folder, relative to it: a step reads and writes there, nowhere else.</summary>
    private static IReadOnlyList<string> Paths(YamlMap step, string key)
    {
        var paths = step.Strings(key) ?? [];
        foreach (var path in paths)
            CheckPath(step, key, path);
        return paths;
    }

    internal static void CheckPath(YamlMap step, string key, string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Replace('\\', '/').Split('/').Contains(".."))
            throw step.Error(key, $"'{path}' under '{key}' must be a path inside the project folder, relative to it (no leading / and no ..)");
    }
}
