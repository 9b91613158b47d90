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
    public Task StepAsync(string name, Func<Task<string>> work) =>
        StepAsync(name, async () => new PipelineStep(name, StepStatus.Succeeded, 0, await work()));

    /// <summary>
    /// Runs the step unless an earlier one failed: <paramref name="work"/> returns it as it ended (its seconds are the
    /// recorder's); a failure is recorded as failed, with what <paramref name="failed"/> adds (its cache key, say).
    /// </summary>
    public async Task StepAsync(string name, Func<Task<PipelineStep>> work, Func<PipelineStep, PipelineStep>? failed = null)
    {
        Debug.Assert(stepNames.Contains(name));
        if (Failure is not null)
            return;
        var start = time.GetTimestamp();
        try
        {
            _steps.Add(await work() with { Seconds = time.GetElapsedTime(start).TotalSeconds });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = e is TendException t ? t.Code : ErrorCode.Unexpected;
            FailureMessage = $"{name} failed: {e.Message}";
            var step = new PipelineStep(name, StepStatus.Failed, time.GetElapsedTime(start).TotalSeconds, e.Message);
            _steps.Add(failed is null ? step : failed(step));
        }
    }

    public IReadOnlyList<PipelineStep> Complete() =>
        _steps.Concat(stepNames.Skip(_steps.Count).Select(n => new PipelineStep(n, StepStatus.Skipped, 0, "an earlier step failed"))).ToList();
}
