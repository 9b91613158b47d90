using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Pipelines.Stages;

namespace Tend.Pipelines.Services;

/// <summary>Tracked runs for the front ends: the filtered page, one run, a metric's history, tags and notes, comparison, evaluations.</summary>
public sealed class RunService
{
    private readonly IRunStore _runs;
    private readonly IEvaluationStore _evaluations;
    private readonly IArtifactStore _artifacts;

    private readonly TimeProvider _time;

    internal RunService(IMetadataStore store, IArtifactStore artifacts, TimeProvider time)
    {
        _time = time;
        _runs = store.Runs;
        _evaluations = store.Evaluations;
        _artifacts = artifacts;
    }

    /// <summary>The runs the query selects, each run whose process is gone ended as killed first (<see cref="RunHeartbeat"/>).</summary>
    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct)
    {
        await RunHeartbeat.EndOrphansAsync(_runs, _time, ct);
        return await _runs.QueryAsync(query, ct);
    }

    /// <summary>A run by its id or a unique prefix of it.</summary>
    public Task<Run> GetAsync(string id, CancellationToken ct) => GetAsync(_runs, _time, id, ct);

    /// <summary>A run by its id or a unique prefix of it, ended as killed first if its process is gone.</summary>
    internal static async Task<Run> GetAsync(IRunStore runs, TimeProvider time, string id, CancellationToken ct)
    {
        await RunHeartbeat.EndOrphansAsync(runs, time, ct);
        return await runs.GetAsync(id, ct) ?? throw TendException.NotFound($"run '{id}' not found; 'tend runs list' shows the runs");
    }

    /// <summary>
    /// The project of a run (by id or unique prefix), read alone: what an access check needs on every call, the SDK's
    /// logging included, so it does not sweep orphaned runs first as <see cref="GetAsync(string, CancellationToken)"/> does.
    /// </summary>
    public async Task<string> ProjectOfAsync(string id, CancellationToken ct) =>
        (await _runs.GetAsync(id, ct) ?? throw TendException.NotFound($"run '{id}' not found; 'tend runs list' shows the runs")).Project;

    /// <summary>Adds to a run by its full id: the SDK's hot path looks up nothing else.</summary>
    /// <remarks>A client names no artifacts here: a run's artifacts are the files it uploaded, never a stored file it points at (a dataset's, say, which deleting the run would then remove).</remarks>
    public Task LogAsync(string runId, RunLog log, CancellationToken ct) =>
        log.Artifacts is { Count: > 0 }
            ? throw TendException.BadField("artifacts", $"run '{runId}': artifacts are uploaded (PUT /api/v1/runs/{runId}/artifacts/PATH), not pointed at stored files")
            : _runs.LogAsync(runId, log.Checked(), ct);

    /// <summary>Sets tags on a run, or writes its note, at any time.</summary>
    public async Task<Run> AnnotateAsync(string id, RunLog annotation, CancellationToken ct)
    {
        var run = await GetAsync(id, ct);
        await _runs.LogAsync(run.Id, annotation.Checked(), ct);
        return run;
    }

    /// <summary>A metric's history, downsampled to at most <paramref name="maxPoints"/> step ranges.</summary>
    public async Task<MetricHistory> HistoryAsync(string id, string key, int maxPoints, CancellationToken ct)
    {
        var run = await GetAsync(id, ct);
        return await _runs.HistoryAsync(run.Id, key, maxPoints, ct)
            ?? throw TendException.NotFound($"run '{run.Id}' has no metric '{key}'; it has: {string.Join(", ", run.Metrics.Keys.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The history of a metric of a run known to exist, or null when the run never logged it (the pages draw what there is).</summary>
    public Task<MetricHistory?> HistoryOrNullAsync(Run run, string key, int maxPoints, CancellationToken ct) => _runs.HistoryAsync(run.Id, key, maxPoints, ct);

    /// <summary>The content of a run's artifact, by its path in the run.</summary>
    public async Task<Stream> ArtifactAsync(string id, string path, CancellationToken ct)
    {
        var run = await GetAsync(id, ct);
        return run.Artifacts.TryGetValue(path, out var artifact)
            ? await _artifacts.GetAsync(artifact, ct)
            : throw TendException.NotFound($"run '{run.Id}' has no artifact '{path}'; it has: {string.Join(", ", run.Artifacts.Keys)}");
    }

    /// <summary>A search run's trials, best first; empty for any other run.</summary>
    public async Task<IReadOnlyList<LeaderboardEntry>> LeaderboardAsync(Run run, CancellationToken ct) =>
        run.Artifacts.TryGetValue(SearchStage.LeaderboardKey, out var board) ? await _artifacts.ReadAsync<List<LeaderboardEntry>>(board, ct) : [];

    /// <summary>Two or more runs side by side.</summary>
    public async Task<RunComparison> CompareAsync(IReadOnlyList<string> ids, bool diffOnly, CancellationToken ct)
    {
        if (ids.Count < 2)
            throw TendException.BadField("ids", "give two or more run ids to compare");
        var runs = new List<Run>();
        foreach (var id in ids)
            runs.Add(await GetAsync(id, ct));
        return RunComparison.Of(runs, diffOnly);
    }

    public async Task<IReadOnlyList<EvaluationRecord>> EvaluationsAsync(string runId, CancellationToken ct) =>
        await _evaluations.ListAsync((await GetAsync(runId, ct)).Id, ct);

    public async Task<EvaluationRecord> EvaluationAsync(string id, CancellationToken ct) =>
        await _evaluations.GetAsync(id, ct) ?? throw TendException.NotFound($"no evaluation '{id}'");
}
