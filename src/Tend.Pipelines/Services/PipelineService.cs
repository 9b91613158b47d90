using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>Pipeline runs, for the front ends: a running one whose process is gone is ended as failed first, as tracked runs are.</summary>
public sealed class PipelineService
{
    private readonly IPipelineStore _pipelines;
    private readonly TimeProvider _time;

    internal PipelineService(IMetadataStore store, TimeProvider time) => (_pipelines, _time) = (store.Pipelines, time);

    /// <summary>Pipeline runs, oldest first: of <paramref name="project"/> when given (with those recorded before runs named theirs).</summary>
    public Task<IReadOnlyList<PipelineRun>> ListAsync(CancellationToken ct, string? project = null) => ListAsync(_pipelines, _time, ct, project);

    /// <summary>A run by its id or its first 8+ characters.</summary>
    public async Task<PipelineRun> GetAsync(string id, CancellationToken ct)
    {
        var matches = (await ListAsync(ct)).Where(r => r.Id == id || (id.Length >= 8 && r.Id.StartsWith(id, StringComparison.Ordinal))).ToList();
        return matches.Count == 1 ? matches[0]
            : throw TendException.NotFound($"no pipeline run has id '{id}'{(matches.Count > 1 ? " alone; give more of it" : "")}; 'tend pipeline list' shows them");
    }

    /// <summary>
    /// Asks the process running the run to cancel it: within <see cref="PipelineRecorder.Every"/> it stops the step that
    /// runs (killing its command) and records the run as cancelled. The run as it is now.
    /// </summary>
    public async Task<PipelineRun> CancelAsync(string id, string actor, string reason, CancellationToken ct)
    {
        var run = await GetAsync(id, ct);
        if (!await _pipelines.RequestCancelAsync(run.Id, new AuditEntry(actor, "pipeline.cancel", $"pipeline:{run.Name}", $"run {run.Id}{(reason.Length > 0 ? $": {reason}" : "")}"), ct))
            throw new TendException(ErrorCode.Conflict, run.Status == PipelineState.Running
                ? $"pipeline run {run.Id[..8]} is being cancelled already, as {run.CancelledBy} asked"
                : $"pipeline run {run.Id[..8]} is not running: it {run.Status.ToString().ToLowerInvariant()} at {run.Ended:u}");
        return run with { CancelledBy = actor };
    }

    internal static async Task<IReadOnlyList<PipelineRun>> ListAsync(IPipelineStore pipelines, TimeProvider time, CancellationToken ct, string? project = null)
    {
        var runs = await pipelines.ListAsync(ct);
        var gone = RunHeartbeat.Gone(time);
        var ended = new List<PipelineRun>();
        foreach (var run in runs)
        {
            if (run is { Status: PipelineState.Running, Heartbeat: { } beat, Owner: { } owner } && gone(beat, owner) is { } why)
            {
                var failed = run with { Ended = time.GetUtcNow(), State = PipelineState.Failed, Message = why, Owner = null, Heartbeat = null };
                if (await pipelines.EndAsync(failed, new AuditEntry("tend", "pipeline.run", $"pipeline:{run.Name}", $"{run.Trigger}: {why}"), ct))
                {
                    ended.Add(failed);
                    continue;
                }
            }
            ended.Add(run);
        }
        return project is null ? ended : ended.Where(r => r.Project is null || r.Project == project).ToList();
    }
}
