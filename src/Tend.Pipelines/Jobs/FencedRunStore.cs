using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Pipelines.Jobs;

/// <summary>The run store as a job's attempt sees it: every write first checks that the attempt is still the latest, so a superseded one writes nothing more.</summary>
internal sealed class FencedRunStore(IRunStore runs, JobAttempt attempt) : IRunStore
{
    public async Task SaveAsync(Run run, AuditEntry? audit, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        await runs.SaveAsync(run, audit, ct);
    }

    public async Task SaveManyAsync(IReadOnlyList<Run> many, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        await runs.SaveManyAsync(many, ct);
    }

    public async Task LogAsync(string runId, RunLog log, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        await runs.LogAsync(runId, log, ct);
    }

    public async Task BeatAsync(string runId, string owner, DateTimeOffset time, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        await runs.BeatAsync(runId, owner, time, ct);
    }

    public async Task StartAsync(Run run, string owner, DateTimeOffset time, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        await runs.StartAsync(run, owner, time, ct);
    }

    public async Task<bool> DeleteAsync(string id, AuditEntry audit, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        return await runs.DeleteAsync(id, audit, ct);
    }

    public async Task<IReadOnlyList<Run>> EndOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct)
    {
        await attempt.CheckAsync(ct);
        return await runs.EndOrphansAsync(gone, ct);
    }

    public Task<Run?> GetAsync(string idPrefix, CancellationToken ct) => runs.GetAsync(idPrefix, ct);
    public Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct) => runs.QueryAsync(query, ct);
    public Task<MetricHistory?> HistoryAsync(string runId, string key, int maxPoints, CancellationToken ct) => runs.HistoryAsync(runId, key, maxPoints, ct);
    public Task<IReadOnlyList<Run>> FindOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct) => runs.FindOrphansAsync(gone, ct);
}
