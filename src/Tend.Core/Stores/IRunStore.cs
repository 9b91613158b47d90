using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Training runs: created when they start, logged to while they run, saved again when they end.</summary>
public interface IRunStore
{
    /// <summary>
    /// Creates or updates the run: its attributes, params, tags, note and artifacts as given; each metric whose value
    /// differs from its latest is appended to its history (at step 0). An audit event, when given, is written in the
    /// same transaction.
    /// </summary>
    Task SaveAsync(Run run, AuditEntry? audit, CancellationToken ct);

    /// <summary>Saves many runs in one transaction, as <see cref="SaveAsync"/> each (an import of runs tracked elsewhere).</summary>
    Task SaveManyAsync(IReadOnlyList<Run> runs, CancellationToken ct);

    /// <summary>
    /// Adds to a running run: params (a param, once logged, keeps its value: a different one is a conflict), tags
    /// (replaced), metric values (appended) and artifacts (by their path in the run); tags and the note may be set after
    /// the run ended, the rest is then a conflict.
    /// </summary>
    Task LogAsync(string runId, RunLog log, CancellationToken ct);

    /// <summary>The run whose id starts with <paramref name="idPrefix"/>; a conflict when the prefix names several.</summary>
    Task<Run?> GetAsync(string idPrefix, CancellationToken ct);

    /// <summary>One page of the runs the query selects, with how many it selects in all.</summary>
    Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct);

    /// <summary>A metric's history, downsampled on the server to at most <paramref name="maxPoints"/> points; null when the run never logged it.</summary>
    Task<MetricHistory?> HistoryAsync(string runId, string key, int maxPoints, CancellationToken ct);

    /// <summary>Beats the heartbeat of a running run and of its running child runs (a search's trials): at <paramref name="time"/>, by <paramref name="owner"/> (the process).</summary>
    Task BeatAsync(string runId, string owner, DateTimeOffset time, CancellationToken ct);

    /// <summary>
    /// Saves a running run with its first heartbeat, by <paramref name="owner"/> at <paramref name="time"/>, in one write: a
    /// process killed right after leaves a run that is found as an orphan, never one that stays running for ever.
    /// </summary>
    Task StartAsync(Run run, string owner, DateTimeOffset time, CancellationToken ct);

    /// <summary>
    /// Ends as killed every running run with a heartbeat for which <paramref name="gone"/>, given its last beat and its
    /// owner, says why its owner is gone (null: it lives); returns them, without params, tags, artifacts and metrics.
    /// A run that never beat (started over the REST API) is left to its client.
    /// </summary>
    Task<IReadOnlyList<Run>> EndOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct);

    /// <summary>The runs <see cref="EndOrphansAsync"/> would end, as they would be ended, without ending them.</summary>
    Task<IReadOnlyList<Run>> FindOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct);

    /// <summary>Removes the run and its metric history, with its audit event in the same transaction; false when there was no such run.</summary>
    Task<bool> DeleteAsync(string id, AuditEntry audit, CancellationToken ct);
}

/// <summary>
/// What a running run adds in one call; any part may be empty. A client that retries numbers its logs: a log whose
/// <see cref="Sequence"/> is not above the last one applied was applied already and is ignored, so a retry after a lost
/// answer never logs twice.
/// </summary>
public sealed record RunLog(
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    IReadOnlyList<MetricBatch>? Metrics = null,
    IReadOnlyDictionary<string, string>? Artifacts = null,
    string? Note = null,
    long? Sequence = null)
{
    /// <summary>This log, when its params, tags and note are within <see cref="TextLimit"/> (a metric's key is the store's to check, with its columns: <see cref="MetricBatch.Problem"/>).</summary>
    public RunLog Checked()
    {
        TextLimit.Check("params", Params);
        TextLimit.Check("tags", Tags);
        TextLimit.Check("note", Note);
        return this;
    }
}

public sealed record RunPage(IReadOnlyList<Run> Runs, long Total, int Offset, int Limit);
