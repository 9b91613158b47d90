namespace Tend.Core.Domain;

public enum StepStatus
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>Where a pipeline run is: running (recorded when it starts), or how it ended.</summary>
public enum PipelineState
{
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// One execution of a pipeline (<see cref="Pipeline"/>: one declared in tend.yaml; null: the lifecycle) of a
/// <see cref="Project"/>: what started it (<see cref="Trigger"/>), its steps in order and how it ended. It is recorded
/// when it starts (<see cref="PipelineState.Running"/>, its steps not yet known) and again when it ends; while it runs,
/// the process that runs it (<see cref="Owner"/>) beats its <see cref="Heartbeat"/> and watches for someone asking to
/// cancel it (<see cref="CancelledBy"/>). A record from before states were kept has none: <see cref="Succeeded"/> says.
/// </summary>
public sealed record PipelineRun(
    string Id,
    string Trigger,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    bool Succeeded,
    string Message,
    IReadOnlyList<PipelineStep> Steps,
    IReadOnlyDictionary<string, string> Outputs,
    string? Pipeline = null,
    string? Project = null,
    PipelineState? State = null,
    string? Owner = null,
    DateTimeOffset? Heartbeat = null,
    string? CancelledBy = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public PipelineState Status => State ?? (Succeeded ? PipelineState.Succeeded : PipelineState.Failed);

    /// <summary>The pipeline's name as people read it: a declared one's, or "lifecycle".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => Pipeline ?? "lifecycle";
}

/// <summary>
/// One step of a run. A declared pipeline's step also records its cache <see cref="Key"/>, whether its outputs were
/// reused (<see cref="Cached"/>) from an earlier identical step, the tracked <see cref="Run"/> that holds them, and
/// for a step that ran, what of its key had <see cref="Changed"/> since the pipeline's previous run and how many
/// <see cref="Attempts"/> it took; and what it made (<see cref="Outputs"/>: a dataset version, a run, an evaluation, a
/// model version…), which the steps after it read.
/// </summary>
public sealed record PipelineStep(string Name, StepStatus Status, double Seconds, string Message, Pipelines.StepKey? Key = null, bool Cached = false, string? Run = null,
    IReadOnlyList<string>? Changed = null, int Attempts = 1, IReadOnlyDictionary<string, string>? Outputs = null);
