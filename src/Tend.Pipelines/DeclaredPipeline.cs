using System.Diagnostics;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Pipelines;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Sources;
using Tend.Pipelines.Services;

namespace Tend.Pipelines;

/// <summary>
/// Runs a pipeline declared in tend.yaml: its steps in the DAG's order, each keyed by its content (<see cref="StepKey"/>:
/// the command, its inputs' hashes, its environment's). A step whose key matches a finished earlier one reuses that
/// one's outputs, restored from the tracked run that holds them; any other runs its command as a tracked run of the
/// project, whose log and outputs become that run's artifacts. The first failure skips every later step.
/// </summary>
public static class DeclaredPipeline
{
    /// <summary>The command step's implementation: bumped when how a step runs changes what it makes, so no older result is reused.</summary>
    public const int CommandVersion = 1;

    private const string LogArtifact = "log.txt";

    /// <summary>How a source a step names is called among its key's inputs.</summary>
    public const string SourcePrefix = "source:";

    /// <param name="useCache">False: every step runs (<c>--no-cache</c>).</param>
    /// <param name="from">A step to run again whatever the cache holds, with every step downstream of it (<c>resume --from</c>).</param>
    /// <param name="limited">A trigger's run: held to the pipeline's <c>limit:</c>, counted across the cluster.</param>
    public static async Task<PipelineResult> RunAsync(Workspace ws, string name, string trigger, bool useCache, CancellationToken ct, string? from = null, bool limited = false)
    {
        var declared = ws.Spec.Pipelines ?? [];
        var pipeline = declared.FirstOrDefault(p => p.Name == name)
            ?? throw TendException.NotFound($"no pipeline '{name}' in {SpecLoader.FileName}; {(declared.Count == 0 ? "it declares none under 'pipelines:'" : $"it declares: {string.Join(", ", declared.Select(p => p.Name))}")}");
        var history = (await PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, ct, ws.Spec.Name)).Where(r => r.Pipeline == name && r.Status != PipelineState.Running).ToList();
        var previous = history.LastOrDefault();
        var hashes = ws.ContentHashes();
        var graph = pipeline.Graph();
        var again = from is null ? [] : graph.Order.Contains(from) ? graph.Downstream(from).ToHashSet()
            : throw TendException.BadField("from", $"pipeline '{name}' has no step '{from}'; its steps: {string.Join(", ", graph.Order)}");
        await using var recorder = await PipelineRecorder.StartAsync(ws, name, trigger, graph.Order, limited ? pipeline.Limit : null, ct);
        ct = recorder.Token;
        var made = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var stepName in graph.Order)
        {
            var step = pipeline.Step(stepName);
            var upstream = Upstream(graph, stepName, made);
            StepKey? key = null;
            string? ranAs = null; // the tracked run of a command's last attempt, which keeps its log
            await recorder.StepAsync(stepName, async () =>
            {
                key = await KeyOfAsync(ws, step, upstream, hashes, ct);
                var changed = previous?.Steps.FirstOrDefault(s => s.Name == stepName)?.Key is { } before ? key.Changes(before) : ["first run of this step"];
                if (!useCache || !step.Cache || again.Contains(stepName))
                    changed = [!useCache ? "--no-cache" : !step.Cache ? "cache: false for this step" : $"run again from step '{from}'"];
                else if (await HitAsync(ws, name, step, key, history, hashes, ct) is { } hit)
                    return hit;
                if (step.Command is null)
                {
                    var ((message, outputs), tries) = await AttemptAsync(ws, step, () => BuiltInStages.RunAsync(ws, step, upstream, ct), ct);
                    return new PipelineStep(stepName, StepStatus.Succeeded, 0, message, key, Run: outputs.GetValueOrDefault(BuiltInStages.Run), Changed: changed, Attempts: tries, Outputs: outputs);
                }
                var (run, attempts) = await AttemptAsync(ws, step, () => ExecuteAsync(ws, name, recorder.Id, step, key, upstream, run => ranAs = run, ct), ct);
                return new PipelineStep(stepName, StepStatus.Succeeded, 0, $"ran as run {run.Id[..8]}{(attempts > 1 ? $" (attempt {attempts})" : "")}: {Listed(step.Outputs, "no outputs")}",
                    key, Run: run.Id, Changed: changed, Attempts: attempts, Outputs: new Dictionary<string, string> { [BuiltInStages.Run] = run.Id });
            }, failed => failed with { Key = key, Run = ranAs });
            if (recorder.Steps.LastOrDefault() is { Status: StepStatus.Succeeded, Outputs: { } outputs } ended && ended.Name == stepName)
                made[stepName] = outputs;
        }
        hashes.Save();
        var hits = recorder.Steps.Count(s => s.Cached);
        return await recorder.EndAsync(Merged(graph.Order, made), $"{graph.Order.Count} steps: {hits} reused from the cache, {graph.Order.Count - hits} ran");
    }

    /// <summary>What the steps <paramref name="step"/> needs, directly or through others, made; the nearer (later) step's word wins.</summary>
    private static Dictionary<string, string> Upstream(PipelineGraph graph, string step, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> made) =>
        Merged(graph.Upstream(step), made);

    private static Dictionary<string, string> Merged(IEnumerable<string> steps, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> made)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in steps)
            foreach (var (what, value) in made.GetValueOrDefault(s) ?? new Dictionary<string, string>())
                merged[what] = value;
        return merged;
    }

    /// <summary>
    /// An earlier result with the same key: a command's finished run that still holds every output (written back where
    /// the step writes them), or what a stage made in an earlier run of the pipeline. Null when there is none.
    /// </summary>
    private static async Task<PipelineStep?> HitAsync(Workspace ws, string pipeline, StepSpec step, StepKey key, IReadOnlyList<PipelineRun> history, ContentHashes hashes, CancellationToken ct)
    {
        if (step.Command is null)
        {
            // The newest stage with the same key whose run, if it made one, is still there ('tend runs delete').
            foreach (var (earlier, made) in history.SelectMany(r => r.Steps.Select(s => (Run: r, Step: s))).Reverse())
                if (made is { Status: StepStatus.Succeeded, Outputs: { } outputs } && made.Key?.Hash == key.Hash
                    && (outputs.GetValueOrDefault(BuiltInStages.Run) is not { } kept || await ws.Store.Runs.GetAsync(kept, ct) is not null))
                    return new PipelineStep(step.Name, StepStatus.Succeeded, 0, $"cache hit: what step '{made.Name}' of pipeline run {earlier.Id[..8]} made ({string.Join(", ", outputs.Select(o => $"{o.Key} {o.Value}"))})",
                        key, Cached: true, Run: made.Run, Outputs: outputs);
            return null;
        }
        if (await ReusableAsync(ws, pipeline, step, key, ct) is not { } run)
            return null;
        await RestoreAsync(ws, step, run, hashes, ct);
        return new PipelineStep(step.Name, StepStatus.Succeeded, 0, $"cache hit: the outputs of run {run.Id[..8]}", key, Cached: true, Run: run.Id,
            Outputs: new Dictionary<string, string> { [BuiltInStages.Run] = run.Id });
    }

    /// <summary>The first delay before a step is tried again; it doubles with each attempt, with jitter.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="work"/>, and again up to the step's retries when the failure may pass (<see cref="Retryable"/>),
    /// after a growing, jittered delay. What it made, and its attempts.
    /// </summary>
    private static async Task<(T Result, int Attempts)> AttemptAsync<T>(Workspace ws, StepSpec step, Func<Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await work(), attempt);
            }
            catch (Exception e) when (Retryable(e) && attempt <= step.Retries)
            {
                var delay = RetryDelay * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble() / 2);
                await Task.Delay(delay, ws.Time, ct);
            }
        }
    }

    /// <summary>
    /// Whether a failure may pass by itself, so the step is worth another attempt: its process was killed (a signal, an OOM
    /// kill), I/O failed, or a server was lost (HTTP, a database's transient error), itself or as the cause of a Tend error.
    /// Never a failed command, a failed gate or invalid data.
    /// </summary>
    internal static bool Retryable(Exception e) =>
        e is StepKilledException or IOException or HttpRequestException or System.Data.Common.DbException { IsTransient: true }
        || (e is TendException && e.InnerException is { } cause && Retryable(cause));

    /// <summary>A step's process ended by a signal: a kill, an OOM kill, a lost machine's; worth another attempt.</summary>
    private sealed class StepKilledException(string message) : Exception(message);

    /// <summary>
    /// What the step's outputs depend on: its command and declared outputs (a stage: its argument and what it reads,
    /// <see cref="BuiltInStages.InputsAsync"/>), its inputs' content, what is observed of the sources it names
    /// (<c>source:NAME</c>), its environment variables' values (as hashes).
    /// </summary>
    private static async Task<StepKey> KeyOfAsync(Workspace ws, StepSpec step, IReadOnlyDictionary<string, string> upstream, ContentHashes hashes, CancellationToken ct)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in step.Inputs)
        {
            var path = Path.Combine(ws.Root, input);
            inputs[input] = File.Exists(path) || Directory.Exists(path) ? hashes.Of(path)
                : throw TendException.NotFound($"input '{input}' of step '{step.Name}' does not exist (in {ws.Root})");
        }
        foreach (var source in step.Sources ?? [])
            inputs[$"{SourcePrefix}{source}"] = await SourceObservation.ObserveAsync(DataSources.Named(ws.Spec, source), ws.Root, hashes, ct);
        var read = step.Command is null ? await BuiltInStages.InputsAsync(ws, step, upstream, hashes, ct)
            : upstream.ToDictionary(u => $"upstream:{u.Key}", u => u.Value); // a command is given all of them (Variable)
        foreach (var (what, value) in read)
            inputs[what] = value;
        var parameters = step.Command is { } command ? new Dictionary<string, string> { ["command"] = command, ["outputs"] = string.Join('\n', step.Outputs) }
            : new Dictionary<string, string> { [step.Kind] = step.Argument };
        return new StepKey(step.Kind, step.Command is null ? BuiltInStages.Version : CommandVersion, parameters, inputs, StepKey.EnvironmentOf(step.Environment, Environment.GetEnvironmentVariable));
    }

    /// <summary>The newest finished run of this step with the same key that still holds every output.</summary>
    private static async Task<Run?> ReusableAsync(Workspace ws, string pipeline, StepSpec step, StepKey key, CancellationToken ct)
    {
        var query = RunQuery.Parse(ws.Spec.Name, $"tags.cache_key = '{key.Hash}' and status = 'finished'", "started desc", 0, 1);
        var page = await ws.Store.Runs.QueryAsync(query, ct);
        return page.Runs.FirstOrDefault(r => r.Tags.GetValueOrDefault("pipeline") == pipeline && step.Outputs.All(r.Artifacts.ContainsKey));
    }

    /// <summary>Writes each output the earlier run holds where the step would have written it, unless it is there already.</summary>
    private static async Task RestoreAsync(Workspace ws, StepSpec step, Run earlier, ContentHashes hashes, CancellationToken ct)
    {
        foreach (var output in step.Outputs)
        {
            var path = Path.Combine(ws.Root, output);
            var artifact = earlier.Artifacts[output];
            if (File.Exists(path) && $"{RunTracking.FilesFolder}/{hashes.Of(path)}" == artifact)
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using var stored = await ws.Artifacts.GetAsync(artifact, ct);
            await using var file = File.Create(path);
            await stored.CopyToAsync(file, ct);
        }
    }

    /// <summary>Runs the command as a tracked run (named to <paramref name="started"/> at once): its log and outputs become the run's artifacts; a failure ends it as failed.</summary>
    private static async Task<Run> ExecuteAsync(Workspace ws, string pipeline, string pipelineRun, StepSpec step, StepKey key, IReadOnlyDictionary<string, string> upstream,
        Action<string> started, CancellationToken ct)
    {
        var tags = new Dictionary<string, string> { ["pipeline"] = pipeline, ["step"] = step.Name, ["cache_key"] = key.Hash, ["pipeline_run"] = pipelineRun };
        var parameters = key.Inputs.ToDictionary(i => $"input.{i.Key}", i => i.Value);
        parameters["command"] = step.Command!;
        var run = await RunTracking.PrepareAsync(ws, new RunStart(ws.Spec.Name, $"{pipeline}/{step.Name}", Params: parameters, Tags: tags), ct);
        var heartbeat = await RunHeartbeat.StartAsync(ws.Store.Runs, run, ws.Time, ct); // saved with its first beat: a kill -9 of this process leaves no run running
        started(run.Id);
        try
        {
            (int Exit, string Log) ended;
            await using (heartbeat)
                ended = await ShellAsync(ws.Root, step.Command!, new Dictionary<string, string>(upstream.Select(u => KeyValuePair.Create(Variable(u.Key), u.Value)))
                {
                    ["TEND_PIPELINE"] = pipeline, ["TEND_PIPELINE_RUN"] = pipelineRun, ["TEND_STEP"] = step.Name, ["TEND_RUN"] = run.Id,
                }, ct);
            var (exit, log) = ended;
            await using (var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(log)))
                await RunTracking.PutArtifactAsync(ws, run.Id, LogArtifact, text, ct);
            if (exit > 128) // the shell's way of saying the command died of signal exit - 128
                throw new StepKilledException($"'{step.Command}' was killed (signal {exit - 128}): {Tail(log)}");
            if (exit != 0)
                throw new TendException(ErrorCode.Unexpected, $"'{step.Command}' exited with {exit}: {Tail(log)}");
            foreach (var output in step.Outputs)
            {
                var path = Path.Combine(ws.Root, output);
                if (!File.Exists(path))
                    throw TendException.InvalidData($"step '{step.Name}' did not write its output '{output}'{(Directory.Exists(path) ? " as a file (outputs are files)" : "")}");
                await using var content = File.OpenRead(path);
                await RunTracking.PutArtifactAsync(ws, run.Id, output, content, ct);
            }
            return await RunTracking.EndAsync(ws, run.Id, RunStatus.Finished, null, ct);
        }
        catch (Exception e)
        {
            await RunTracking.EndAsync(ws, run.Id, e is OperationCanceledException ? RunStatus.Killed : RunStatus.Failed,
                e is OperationCanceledException ? "the pipeline run was cancelled" : TextLimit.Excerpt(e.Message, TextLimit.Prose), CancellationToken.None);
            throw;
        }
    }

    /// <summary>The environment variable that gives a command what the steps before it made: <c>TEND_IN_DATASET</c>, <c>TEND_IN_MODEL_VERSION</c>…</summary>
    public static string Variable(string output) => $"TEND_IN_{output.ToUpperInvariant()}";

    /// <summary>Runs <paramref name="command"/> with /bin/sh in <paramref name="folder"/>; its exit code and its output and errors, interleaved as written.</summary>
    private static async Task<(int Exit, string Log)> ShellAsync(string folder, string command, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (variable, value) in environment)
            start.Environment[variable] = value;
        using var process = new Process { StartInfo = start };
        var log = new System.Text.StringBuilder();
        void Line(object _, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
                lock (log)
                    log.AppendLine(line);
        }
        process.OutputDataReceived += Line;
        process.ErrorDataReceived += Line;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, log.ToString());
    }

    private static string Tail(string log)
    {
        var lines = log.TrimEnd().Split('\n');
        return lines.Length == 0 || log.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(3)).Trim();
    }

    private static string Listed(IReadOnlyList<string> items, string none) => items.Count == 0 ? none : string.Join(", ", items);
}
