using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Pipelines.Jobs;

namespace Tend.Pipelines.Triggers;

/// <summary>What became of a trigger that fired.</summary>
public enum Fired
{
    /// <summary>A run started.</summary>
    Started,
    /// <summary>A run will start when the active one ends (overlap: queue, or cancel, which also cancels it).</summary>
    Waiting,
    /// <summary>No run: one is active (overlap: skip), or the pipeline's limit is reached; the audit trail says why.</summary>
    Skipped,
}

/// <summary>
/// Starts a declared pipeline's runs when its triggers fire, each as a job (<see cref="JobDispatch.PipelineAsync"/>: run by
/// a worker, or by this server in its own slots): one run at a time, whatever fires meanwhile following its overlap policy
/// (skip; queue, where later triggers join the one waiting; cancel the active run and start anew), and at most the
/// pipeline's limit in its window. Every trigger is recorded: as the run's trigger, or as a <c>pipeline.skip</c> event in
/// the audit trail that says why no run started. When the server stops it stops waiting; a job handed out runs on.
/// </summary>
public sealed class PipelineStarter(Workspace ws, PipelineSpec pipeline, ILogger logger, CancellationToken stop)
{
    private readonly JobDispatch _jobs = ws.Jobs ?? throw new ArgumentException("the workspace hands out no jobs (Workspace.Handing)", nameof(ws));
    private readonly Lock _lock = new();
    private readonly List<DateTimeOffset> _starts = [];
    private Task _active = Task.CompletedTask;
    private CancellationTokenSource? _cancelActive;
    private (string Trigger, string Actor)? _waiting;

    public string Pipeline => pipeline.Name;

    /// <summary>The run started last, until it ends (tests wait on it).</summary>
    public Task Active
    {
        get
        {
            lock (_lock)
                return _active;
        }
    }

    /// <param name="trigger">What fired.</param>
    /// <param name="why">What it saw: the time, the new observation, the alert, the caller.</param>
    /// <param name="actor">Who the run acts as (a webhook's caller); default: the server's identity.</param>
    public async Task<Fired> FireAsync(TriggerSpec trigger, string why, string? actor = null)
    {
        var text = $"{trigger}: {why}";
        actor ??= ws.Actor;
        string? skipped;
        lock (_lock)
        {
            if (!_active.IsCompleted)
            {
                switch (trigger.Overlap)
                {
                    case Overlap.Cancel or Overlap.Queue:
                        if (trigger.Overlap == Overlap.Cancel)
                            _cancelActive?.Cancel();
                        // One run waits; a later trigger joins it, and is recorded with it.
                        _waiting = _waiting is { } earlier ? ($"{earlier.Trigger}; {text}", earlier.Actor) : (text, actor);
                        return Fired.Waiting;
                }
                skipped = "a run of the pipeline is active (overlap: skip)";
            }
            else
                skipped = StartLocked(text, actor);
        }
        if (skipped is null)
            return Fired.Started;
        await SkipAsync(text, skipped);
        return Fired.Skipped;
    }

    /// <summary>Starts a run unless the limit forbids it; why not, or null. Called holding the lock, with no run active.</summary>
    private string? StartLocked(string trigger, string actor)
    {
        var now = ws.Time.GetUtcNow();
        if (pipeline.Limit is { } limit)
        {
            _starts.RemoveAll(s => now - s >= limit.Per);
            if (_starts.Count >= limit.Runs)
                return $"the pipeline's limit of {limit} is reached; the next may start at {_starts[0] + limit.Per:u}";
        }
        _starts.Add(now);
        _cancelActive = CancellationTokenSource.CreateLinkedTokenSource(stop); // stopping cancels no job: RunAsync stops waiting first
        var cancel = _cancelActive.Token;
        _active = Task.Run(() => RunAsync(trigger, actor, cancel), CancellationToken.None);
        return null;
    }

    private async Task RunAsync(string trigger, string actor, CancellationToken cancel)
    {
        try
        {
            var result = await _jobs.PipelineAsync(ws.As(actor), new PipelineJob(pipeline.Name, trigger), stop, cancel);
            logger.LogInformation("pipeline {Pipeline} of {Project} ({Trigger}): {Message}", pipeline.Name, ws.Spec.Name, trigger, result.Run.Message);
        }
        catch (TendException e) when (e.Code == ErrorCode.Conflict)
        {
            await SkipAsync(trigger, e.Message); // another process runs it, or a newer trigger cancelled it before it started (overlap: cancel)
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the server stops
        }
        catch (Exception e)
        {
            logger.LogError(e, "pipeline {Pipeline} of {Project} ({Trigger}) failed to run", pipeline.Name, ws.Spec.Name, trigger);
        }
        finally
        {
            lock (_lock)
            {
                _cancelActive?.Dispose();
                _cancelActive = null;
            }
        }
        string waiting, skipped;
        lock (_lock)
        {
            if (_waiting is not { } next || stop.IsCancellationRequested)
                return;
            _waiting = null;
            waiting = next.Trigger;
            if (StartLocked(next.Trigger, next.Actor) is not { } why)
                return;
            skipped = why;
        }
        await SkipAsync(waiting, skipped);
    }

    private async Task SkipAsync(string trigger, string why)
    {
        logger.LogWarning("pipeline {Pipeline} of {Project} not started ({Trigger}): {Why}", pipeline.Name, ws.Spec.Name, trigger, why);
        await ws.Store.Audit.AppendAsync(new AuditEntry(ws.Actor, "pipeline.skip", $"pipeline:{pipeline.Name}", $"{trigger}: {why}"), CancellationToken.None);
    }
}
