using System.Diagnostics;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Processes;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Pipelines.Services;

namespace Tend.Pipelines;

/// <summary>
/// A pipeline run as it runs. It is recorded as running when it starts; while it runs, its process beats its heartbeat
/// every <see cref="Every"/> and looks for a request to cancel it, which cancels <see cref="Token"/>. Its steps run in
/// order, each timed; the first failure (or the cancellation) stops the run and every later step is recorded as skipped.
/// <see cref="EndAsync"/> records how it ended.
/// </summary>
internal sealed class PipelineRecorder : IAsyncDisposable
{
    /// <summary>How often a running pipeline beats and looks for a cancel request.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    private readonly Workspace _ws;
    private readonly PipelineRun _started;
    private readonly IReadOnlyList<string> _stepNames;
    private readonly CancellationTokenSource _cancel;
    private readonly CancellationTokenSource _stopBeating = new();
    private readonly List<PipelineStep> _steps = [];
    private Task _beating = Task.CompletedTask;

    private PipelineRecorder(Workspace ws, PipelineRun started, IReadOnlyList<string> stepNames, CancellationToken ct) =>
        (_ws, _started, _stepNames, _cancel) = (ws, started, stepNames, CancellationTokenSource.CreateLinkedTokenSource(ct));

    public string Id => _started.Id;

    /// <summary>Cancelled when someone asks to cancel the run (or the caller's token is).</summary>
    public CancellationToken Token => _cancel.Token;

    public ErrorCode? Failure { get; private set; }
    public string? FailureMessage { get; private set; }
    public IReadOnlyList<PipelineStep> Steps => _steps;

    /// <summary>
    /// Records the run as running, started by <paramref name="trigger"/>, and starts beating. Conflict when a run of the
    /// pipeline is running, or when <paramref name="limit"/> (a trigger's run) allows no more runs in its window.
    /// </summary>
    public static async Task<PipelineRecorder> StartAsync(Workspace ws, string? pipeline, string trigger, IReadOnlyList<string> stepNames, RunLimit? limit, CancellationToken ct)
    {
        var now = ws.Time.GetUtcNow();
        var started = new PipelineRun(Guid.NewGuid().ToString("N"), trigger, now, now, false, "running", [], new Dictionary<string, string>(), pipeline, ws.Spec.Name,
            PipelineState.Running, ProcessOwner.Current, now);
        var window = limit is null ? null : new StartLimit(limit.Runs, now - limit.Per);
        Task<bool> AddAsync() => ws.Store.Pipelines.AddAsync(started, new AuditEntry(ws.Actor, "pipeline.start", Subject(started), trigger), window, ct);
        if (await AddAsync())
            return Started(ws, started, stepNames, ct);
        // Perhaps its process died: ending such runs first leaves only one that runs.
        var runs = (await PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, ct, ws.Spec.Name)).Where(r => r.Pipeline == pipeline).ToList();
        var running = runs.FirstOrDefault(r => r.Status == PipelineState.Running);
        if (running is null && await AddAsync())
            return Started(ws, started, stepNames, ct);
        var recent = runs.Where(r => r.Started > window?.Since).ToList();
        throw new TendException(ErrorCode.Conflict, running is null && limit is not null && recent.Count >= limit.Runs
            ? $"the pipeline's limit of {limit} is reached; the next may start at {recent.Min(r => r.Started) + limit.Per:u}"
            : $"pipeline '{started.Name}' is running already{(running is null ? "" : $" (run {running.Id[..8]}, {running.Trigger}, since {running.Started:u})")}: " +
                "one run of a pipeline at a time; wait for it, or 'tend pipeline cancel RUN'");
    }

    private static PipelineRecorder Started(Workspace ws, PipelineRun started, IReadOnlyList<string> stepNames, CancellationToken ct)
    {
        var recorder = new PipelineRecorder(ws, started, stepNames, ct);
        recorder._beating = recorder.BeatAsync();
        return recorder;
    }

    private static string Subject(PipelineRun run) => $"pipeline:{run.Name}";

    private async Task BeatAsync()
    {
        using var timer = new PeriodicTimer(Every, _ws.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopBeating.Token))
                if (await _ws.Store.Pipelines.BeatAsync(Id, ProcessOwner.Current, _ws.Time.GetUtcNow(), _stopBeating.Token) is { } by)
                {
                    CancelledBy = by;
                    await _cancel.CancelAsync();
                    return;
                }
        }
        catch (OperationCanceledException)
        {
            // the run ended
        }
    }

    /// <summary>Who asked to cancel the run, once someone has.</summary>
    public string? CancelledBy { get; private set; }

    private bool Cancelled => Failure is not null && Token.IsCancellationRequested;

    /// <summary>Runs the step unless an earlier one failed; its result text is the step's message.</summary>
    public Task StepAsync(string name, Func<Task<string>> work) =>
        StepAsync(name, async () => new PipelineStep(name, StepStatus.Succeeded, 0, await work()));

    /// <summary>
    /// Runs the step unless an earlier one failed: <paramref name="work"/> returns it as it ended (its seconds are the
    /// recorder's); a failure is recorded as failed, with what <paramref name="failed"/> adds (its cache key, say).
    /// </summary>
    public async Task StepAsync(string name, Func<Task<PipelineStep>> work, Func<PipelineStep, PipelineStep>? failed = null)
    {
        Debug.Assert(_stepNames.Contains(name));
        if (Failure is not null)
            return;
        var start = _ws.Time.GetTimestamp();
        try
        {
            Token.ThrowIfCancellationRequested();
            _steps.Add(await work() with { Seconds = _ws.Time.GetElapsedTime(start).TotalSeconds });
            await _ws.Store.Pipelines.ProgressAsync(_started with { Steps = [.. _steps] }, Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || Token.IsCancellationRequested)
        {
            var cancelled = e is OperationCanceledException;
            Failure = e is TendException t ? t.Code : cancelled ? ErrorCode.Conflict : ErrorCode.Unexpected;
            var message = cancelled ? $"cancelled{(CancelledBy is { } by ? $" by {by}" : "")}" : e.Message;
            FailureMessage = $"{name} {(cancelled ? message : $"failed: {message}")}";
            var step = new PipelineStep(name, StepStatus.Failed, _ws.Time.GetElapsedTime(start).TotalSeconds, message);
            _steps.Add(failed is null ? step : failed(step));
        }
    }

    /// <summary>Records how the run ended: its steps (those not run as skipped), what it made, and <paramref name="message"/> unless a step failed.</summary>
    public async Task<PipelineResult> EndAsync(IReadOnlyDictionary<string, string> outputs, string message)
    {
        _ended = true;
        await StopBeatingAsync();
        var skipped = Cancelled ? "the run was cancelled" : "an earlier step failed";
        var steps = _steps.Concat(_stepNames.Skip(_steps.Count).Select(n => new PipelineStep(n, StepStatus.Skipped, 0, skipped))).ToList();
        var state = Failure is null ? PipelineState.Succeeded : Cancelled ? PipelineState.Cancelled : PipelineState.Failed;
        var run = _started with
        {
            Ended = _ws.Time.GetUtcNow(),
            Succeeded = Failure is null,
            Message = FailureMessage ?? message,
            Steps = steps,
            Outputs = outputs,
            State = state,
            Owner = null,
            Heartbeat = null,
            CancelledBy = CancelledBy,
        };
        // Written whatever the caller's token says: a run stopped by a shutdown is recorded as cancelled, not left running.
        await _ws.Store.Pipelines.EndAsync(run, new AuditEntry(_ws.Actor, "pipeline.run", Subject(run), $"{run.Trigger}: {run.Message}"), CancellationToken.None);
        return new PipelineResult(run, Failure);
    }

    private async Task StopBeatingAsync()
    {
        await _stopBeating.CancelAsync();
        await _beating;
    }

    private bool _ended;

    /// <summary>Ends the run as failed if it was not ended (the pipeline's own code threw), so it is not left running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ended)
        {
            Failure ??= ErrorCode.Unexpected;
            FailureMessage ??= "the pipeline stopped before its steps ended";
            await EndAsync(new Dictionary<string, string>(), FailureMessage);
        }
        _cancel.Dispose();
        _stopBeating.Dispose();
    }
}
