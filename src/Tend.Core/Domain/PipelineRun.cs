namespace Tend.Core.Domain;

public enum StepStatus
{
    Succeeded,
    Failed,
    Skipped,
}

/// <summary>One execution of a pipeline (<see cref="Pipeline"/>: one declared in tend.yaml; null: the lifecycle): its steps in order and how it ended.</summary>
public sealed record PipelineRun(
    string Id,
    string Trigger,
    DateTimeOffset Started,
    DateTimeOffset Ended,
    bool Succeeded,
    string Message,
    IReadOnlyList<PipelineStep> Steps,
    IReadOnlyDictionary<string, string> Outputs,
    string? Pipeline = null);

/// <summary>
/// One step of a run. A declared pipeline's step also records its cache <see cref="Key"/>, whether its outputs were
/// reused (<see cref="Cached"/>) from an earlier identical step, the tracked <see cref="Run"/> that holds them, and
/// for a step that ran, what of its key had <see cref="Changed"/> since the pipeline's previous run and how many
/// <see cref="Attempts"/> it took.
/// </summary>
public sealed record PipelineStep(string Name, StepStatus Status, double Seconds, string Message, Pipelines.StepKey? Key = null, bool Cached = false, string? Run = null,
    IReadOnlyList<string>? Changed = null, int Attempts = 1);
