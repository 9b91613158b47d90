using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>At most <see cref="Runs"/> runs of a pipeline started after <see cref="Since"/> (a pipeline's <c>limit:</c>, counted across the cluster).</summary>
public sealed record StartLimit(int Runs, DateTimeOffset Since);

public interface IPipelineStore
{
    /// <summary>
    /// Records the run with its audit event, in one transaction: when it starts (running) or, for one that never ran, as it
    /// ended. False (nothing written) for a running one when a run of the same pipeline of the project is running already,
    /// or when <paramref name="limit"/> is given and that many runs of it (of any state and origin) started after its time.
    /// </summary>
    Task<bool> AddAsync(PipelineRun run, AuditEntry audit, StartLimit? limit, CancellationToken ct);

    /// <summary>Records how a running run ended, with its audit event; false (nothing written) when it is no longer running (another ended it).</summary>
    Task<bool> EndAsync(PipelineRun run, AuditEntry audit, CancellationToken ct);

    /// <summary>Records a running run's steps so far (what the pages show while it runs); nothing once it has ended.</summary>
    Task ProgressAsync(PipelineRun run, CancellationToken ct);

    /// <summary>Beats a running run's heartbeat by <paramref name="owner"/>; who asked to cancel it, if anyone has.</summary>
    Task<string?> BeatAsync(string id, string owner, DateTimeOffset time, CancellationToken ct);

    /// <summary>Asks the process running the run to cancel it; false when it is not running.</summary>
    Task<bool> RequestCancelAsync(string id, AuditEntry audit, CancellationToken ct);

    /// <summary>Every run, oldest first; a running one with its heartbeat, owner and any cancel request.</summary>
    Task<IReadOnlyList<PipelineRun>> ListAsync(CancellationToken ct);

    /// <summary>The observation of a watched source that a trigger last acted on (<paramref name="key"/>: project, pipeline and source); null before the first look.</summary>
    Task<string?> GetWatermarkAsync(string key, CancellationToken ct);

    /// <summary>
    /// Moves the watermark from <paramref name="expected"/> (null: none yet) to <paramref name="observed"/>; false
    /// (nothing written) when it is no longer <paramref name="expected"/>, because another process moved it first.
    /// </summary>
    Task<bool> MoveWatermarkAsync(string key, string? expected, string observed, DateTimeOffset time, CancellationToken ct);
}
