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
    /// <summary>No run: one is active (overlap: skip); the audit trail says why.</summary>
    Skipped,
}

/// <summary>
/// Starts a declared pipeline's runs when its triggers fire, each as a job (<see cref="JobDispatch.PipelineAsync"/>: run by
/// a worker, or by this server in its own slots): one run at a time, whatever fires meanwhile following its overlap policy
/// (skip; queue, where later triggers join the one waiting; cancel the active run and start anew), and at most the
/// pipeline's limit in its window, which the store counts across the cluster as the job starts its run. Every trigger is
/// recorded: as the run's trigger, or as a <c>pipeline.skip</c> event in the audit trail that says why no run started
/// (also when a job finds another process's run active, or the limit reached). When the server stops it stops waiting;
/// a job handed out runs on.
/// </summary>
public sealed class PipelineStarter(Workspace ws, PipelineSpec pipeline, ILogger logger, CancellationToken stop)
{
    private readonly JobDispatch _jobs = ws.Jobs ?? throw new ArgumentException("the workspace hands out no jobs (Workspace.Handing)", nameof(ws));
    private readonly Lock _lock = new();
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
        lock (_lock)
        {
            if (_active.IsCompleted)
            {
                StartLocked(text, actor);
                return Fired.Started;
            }
            if (trigger.Overlap is Overlap.Cancel or Overlap.Queue)
            {
                if (trigger.Overlap == Overlap.Cancel)
                    _cancelActive?.Cancel();
                // One run waits; a later trigger joins it, and is recorded with it.
                _waiting = _waiting is { } earlier ? ($"{earlier.Trigger}; {text}", earlier.Actor) : (text, actor);
                return Fired.Waiting;
            }
        }
        await SkipAsync(text, "a run of the pipeline is active (overlap: skip)");
        return Fired.Skipped;
    }

    /// <summary>Hands out a run. Called holding the lock, with no run active.</summary>
    private void StartLocked(string trigger, string actor)
    {
        _cancelActive = CancellationTokenSource.CreateLinkedTokenSource(stop); // stopping cancels no job: RunAsync stops waiting first
        var cancel = _cancelActive.Token;
        _active = Task.Run(() => RunAsync(trigger, actor, cancel), CancellationToken.None);
    }

    private async Task RunAsync(string trigger, string actor, CancellationToken cancel)
    {
        try
        {
            var result = await _jobs.PipelineAsync(ws.As(actor), new PipelineJob(pipeline.Name, trigger, Limited: true), stop, cancel);
            logger.LogInformation("pipeline {Pipeline} of {Project} ({Trigger}): {Message}", pipeline.Name, ws.Spec.Name, trigger, result.Run.Message);
        }
        catch (TendException e) when (e.Code == ErrorCode.Conflict)
        {
            await SkipAsync(trigger, e.Message); // another process runs it, the limit is reached, or a newer trigger cancelled it before it started (overlap: cancel)
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
        lock (_lock)
        {
            if (_waiting is not { } next || stop.IsCancellationRequested)
                return;
            _waiting = null;
            StartLocked(next.Trigger, next.Actor);
        }
    }

    private async Task SkipAsync(string trigger, string why)
    {
        logger.LogWarning("pipeline {Pipeline} of {Project} not started ({Trigger}): {Why}", pipeline.Name, ws.Spec.Name, trigger, why);
        await ws.Store.Audit.AppendAsync(new AuditEntry(ws.Actor, "pipeline.skip", $"pipeline:{pipeline.Name}", $"{trigger}: {why}"), CancellationToken.None);
    }
}
