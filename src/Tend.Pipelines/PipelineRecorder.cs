using System.Diagnostics;
using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Pipelines;

/// <summary>Runs named steps in order, timing each; the first failure stops the run and every later step is recorded as skipped.</summary>
internal sealed class PipelineRecorder(IReadOnlyList<string> stepNames, TimeProvider time)
{
    private readonly List<PipelineStep> _steps = [];

    public ErrorCode? Failure { get; private set; }
    public string? FailureMessage { get; private set; }
    public IReadOnlyList<PipelineStep> Steps => _steps;

    /// <summary>Runs the step unless an earlier one failed; its result text is the step's message.</summary>
    public async Task StepAsync(string name, Func<Task<string>> work)
    {
        Debug.Assert(stepNames.Contains(name));
        if (Failure is not null)
            return;
        var start = time.GetTimestamp();
        try
        {
            var message = await work();
            _steps.Add(new PipelineStep(name, StepStatus.Succeeded, time.GetElapsedTime(start).TotalSeconds, message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = e is TendException t ? t.Code : ErrorCode.Unexpected;
            FailureMessage = $"{name} failed: {e.Message}";
            _steps.Add(new PipelineStep(name, StepStatus.Failed, time.GetElapsedTime(start).TotalSeconds, e.Message));
        }
    }

    public IReadOnlyList<PipelineStep> Complete() =>
        _steps.Concat(stepNames.Skip(_steps.Count).Select(n => new PipelineStep(n, StepStatus.Skipped, 0, "an earlier step failed"))).ToList();
}
