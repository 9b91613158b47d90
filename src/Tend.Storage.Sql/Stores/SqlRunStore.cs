using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

/// <summary>
/// Runs as a row of queryable attributes plus a JSON body (environment, error, note), with an integer key (<c>seq</c>);
/// params, tags, artifacts and each metric's latest value in their own tables, by that key, indexed by key and value for
/// queries (artifacts by the stored file, to know what is still referenced); metric histories in <c>metric_points</c>,
/// one series a run and key.
/// </summary>
internal sealed class SqlRunStore(SqlDatabase db) : IRunStore
{
    private static readonly string[] RunTables = ["run_metrics", "run_params", "run_tags", "run_artifacts"];

    private static readonly IReadOnlyDictionary<string, string> NoText = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, double> NoNumbers = new Dictionary<string, double>();

    public Task SaveAsync(Run run, AuditEntry? audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SaveAsync(c, t, run, ct);
            if (audit is not null)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public Task SaveManyAsync(IReadOnlyList<Run> runs, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            foreach (var run in runs)
                await SaveAsync(c, t, run, ct);
        }, ct);

    private async Task SaveAsync(DbConnection c, DbTransaction t, Run run, CancellationToken ct)
    {
        var seq = (await SqlDatabase.QueryAsync(c, t,
            "INSERT INTO runs (id, started, project, parent, name, status, dataset, ended, log_sequence, body) " +
            "VALUES (@id, @started, @project, @parent, @name, @status, @dataset, @ended, 0, @body) ON CONFLICT (id) DO UPDATE SET " +
            "project = excluded.project, parent = excluded.parent, name = excluded.name, status = excluded.status, " +
            "dataset = excluded.dataset, ended = excluded.ended, body = excluded.body RETURNING seq", r => r.GetInt64(0), ct,
            ("@id", run.Id), ("@started", SqlTime.Format(run.Started)), ("@project", run.Project), ("@parent", run.Parent),
            ("@name", run.Name), ("@status", Status(run.Status)), ("@dataset", run.Dataset),
            ("@ended", run.Ended is { } ended ? SqlTime.Format(ended) : null), ("@body", Body(run)))).Single();
        await ReplaceAsync(c, t, "run_params", seq, run.Params, ct);
        await ReplaceAsync(c, t, "run_tags", seq, run.Tags, ct);
        await ReplaceAsync(c, t, "run_artifacts", seq, run.Artifacts, ct);
        var latest = (await SqlDatabase.QueryAsync(c, t, "SELECT key, value FROM run_metrics WHERE run = @seq",
            r => (Key: r.GetString(0), Value: Number(r, 1)), ct, ("@seq", seq))).ToDictionary(m => m.Key, m => m.Value);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (key, value) in run.Metrics)
            if (!latest.TryGetValue(key, out var stored) || !stored.Equals(value))
                await AppendAsync(c, t, seq, new MetricBatch(key, [value], [0], [now]), ct);
    }

    public Task LogAsync(string runId, RunLog log, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var (seq, body, sequence) = (await SqlDatabase.QueryAsync(c, t, "SELECT seq, body, log_sequence FROM runs WHERE id = @id",
                r => (r.GetInt64(0), r.GetString(1), r.GetInt64(2)), ct, ("@id", runId))).SingleOrDefault();
            if (body is null)
                throw TendException.NotFound($"run '{runId}' not found");
            if (log.Sequence <= sequence)
                return;
            if (log.Sequence is { } next)
                await SqlDatabase.ExecuteAsync(c, t, "UPDATE runs SET log_sequence = @next WHERE seq = @seq", ct, ("@seq", seq), ("@next", next));
            var run = TendJson.Deserialize<Run>(body);
            if (run.Status != RunStatus.Running && (log.Params is { Count: > 0 } || log.Metrics is { Count: > 0 } || log.Artifacts is { Count: > 0 }))
                throw new TendException(ErrorCode.Conflict, $"run '{runId}' has {Status(run.Status)}: only a running run takes params, metrics and artifacts (tags and notes are welcome any time)");
            foreach (var (key, value) in log.Params ?? NoText)
            {
                var stored = (await SqlDatabase.QueryAsync(c, t, "SELECT value FROM run_params WHERE run = @seq AND key = @key",
                    r => r.GetString(0), ct, ("@seq", seq), ("@key", key))).SingleOrDefault();
                if (stored is null)
                    await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO run_params (run, key, value) VALUES (@seq, @key, @value)", ct,
                        ("@seq", seq), ("@key", key), ("@value", value));
                else if (stored != value)
                    throw new TendException(ErrorCode.Conflict, $"param '{key}' of run '{runId}' is already '{stored}', not '{value}': a param keeps its first value (log a metric or a tag for what changes)");
            }
            await SetAsync(c, t, "run_tags", seq, log.Tags ?? NoText, ct);
            foreach (var batch in log.Metrics ?? [])
            {
                if (batch.Problem() is { } problem)
                    throw TendException.BadUsage(problem);
                if (batch.Count > 0)
                    await AppendAsync(c, t, seq, batch, ct);
            }
            await SetAsync(c, t, "run_artifacts", seq, log.Artifacts ?? NoText, ct);
            if (log.Note is not null)
                await SqlDatabase.ExecuteAsync(c, t, "UPDATE runs SET body = @body WHERE seq = @seq", ct,
                    ("@seq", seq), ("@body", Body(run with { Note = log.Note })));
        }, ct);

    public async Task<Run?> GetAsync(string idPrefix, CancellationToken ct)
    {
        if (Prefix.Like(idPrefix.ToLowerInvariant()) is not { } like)
            return null;
        await using var c = await db.OpenAsync(ct);
        var matches = await SqlDatabase.QueryAsync(c, null, "SELECT seq, body FROM runs WHERE id LIKE @prefix ESCAPE '\\' LIMIT 2", ReadBody, ct, ("@prefix", like));
        return Prefix.Single(matches.Select(m => m.Run).ToList(), $"run '{idPrefix}'") is null ? null : (await HydrateAsync(c, matches, ct))[0];
    }

    public async Task<RunPage> QueryAsync(RunQuery query, CancellationToken ct)
    {
        var sql = new RunQuerySql(query);
        await using var c = await db.OpenAsync(ct);
        var total = (await SqlDatabase.QueryAsync(c, null, sql.Count, r => r.GetInt64(0), ct, sql.Parameters)).Single();
        var runs = await SqlDatabase.QueryAsync(c, null, sql.Page, ReadBody, ct, sql.Parameters);
        return new RunPage(await HydrateAsync(c, runs, ct), total, query.Offset, query.Limit);
    }

    public async Task<MetricHistory?> HistoryAsync(string runId, string key, int maxPoints, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var series = (await SqlDatabase.QueryAsync(c, null, "SELECT m.id, m.points FROM run_metrics m JOIN runs r ON r.seq = m.run WHERE r.id = @id AND m.key = @key",
            r => (Id: r.GetInt64(0), Points: r.GetInt64(1)), ct, ("@id", runId), ("@key", key))).SingleOrDefault();
        if (series.Points == 0)
            return null;
        if (series.Points <= maxPoints)
            return new MetricHistory(key, series.Points, false, await SqlDatabase.QueryAsync(c, null,
                "SELECT step, value, value, value, time FROM metric_points WHERE series = @s ORDER BY step, time", ReadPoint, ct, ("@s", series.Id)));
        var (first, last) = (await SqlDatabase.QueryAsync(c, null, "SELECT MIN(step), MAX(step) FROM metric_points WHERE series = @s",
            r => (r.GetInt64(0), r.GetInt64(1)), ct, ("@s", series.Id))).Single();
        var width = Math.Max(1, (last - first + maxPoints) / maxPoints);
        return new MetricHistory(key, series.Points, true, await SqlDatabase.QueryAsync(c, null,
            "SELECT MIN(step), AVG(value), MIN(value), MAX(value), MAX(time) FROM metric_points WHERE series = @s " +
            "GROUP BY (step - @first) / @width ORDER BY MIN(step)", ReadPoint, ct, ("@s", series.Id), ("@first", first), ("@width", width)));
    }

    public Task BeatAsync(string runId, string owner, DateTimeOffset time, CancellationToken ct) =>
        db.WriteAsync((c, t) => BeatAsync(c, t, runId, owner, time, ct), ct);

    public Task StartAsync(Run run, string owner, DateTimeOffset time, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SaveAsync(c, t, run, ct);
            await BeatAsync(c, t, run.Id, owner, time, ct);
        }, ct);

    private static Task<int> BeatAsync(DbConnection c, DbTransaction t, string runId, string owner, DateTimeOffset time, CancellationToken ct) =>
        SqlDatabase.ExecuteAsync(c, t, "UPDATE runs SET heartbeat = @time, owner = @owner WHERE (id = @id OR parent = @id) AND status = 'running'", ct,
            ("@id", runId), ("@owner", owner), ("@time", SqlTime.Format(time)));

    private const string Beating = "SELECT seq, heartbeat, owner, body FROM runs WHERE status = 'running' AND heartbeat IS NOT NULL";

    public async Task<IReadOnlyList<Run>> FindOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct) =>
        (await db.QueryAsync(Beating, r => Orphan(r, gone), ct)).Where(o => o.Why is not null).Select(o => o.Run.End(RunStatus.Killed, o.Why)).ToList();

    public async Task<IReadOnlyList<Run>> EndOrphansAsync(Func<DateTimeOffset, string, string?> gone, CancellationToken ct)
    {
        if ((await FindOrphansAsync(gone, ct)).Count == 0)
            return []; // the usual answer, read without taking the write lock
        return await db.WriteAsync<IReadOnlyList<Run>>(async (c, t) =>
        {
            var killed = new List<Run>();
            foreach (var (seq, run, why) in await SqlDatabase.QueryAsync(c, t, Beating, r => Orphan(r, gone), ct))
            {
                if (why is null)
                    continue;
                killed.Add(run.End(RunStatus.Killed, why));
                await SqlDatabase.ExecuteAsync(c, t, "UPDATE runs SET status = @status, ended = @ended, body = @body WHERE seq = @seq", ct,
                    ("@seq", seq), ("@status", Status(RunStatus.Killed)), ("@ended", SqlTime.Format(killed[^1].Ended!.Value)), ("@body", Body(killed[^1])));
            }
            return killed;
        }, ct);
    }

    private static (long Seq, Run Run, string? Why) Orphan(DbDataReader r, Func<DateTimeOffset, string, string?> gone) =>
        (r.GetInt64(0), TendJson.Deserialize<Run>(r.GetString(3)), gone(SqlTime.Parse(r.GetString(1)), r.GetString(2)));

    public Task<bool> DeleteAsync(string id, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            const string run = "(SELECT seq FROM runs WHERE id = @id)";
            await SqlDatabase.ExecuteAsync(c, t, $"DELETE FROM metric_points WHERE series IN (SELECT id FROM run_metrics WHERE run = {run})", ct, ("@id", id));
            foreach (var table in RunTables)
                await SqlDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE run = {run}", ct, ("@id", id));
            var deleted = await SqlDatabase.ExecuteAsync(c, t, "DELETE FROM runs WHERE id = @id", ct, ("@id", id)) > 0;
            if (deleted)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return deleted;
        }, ct);

    /// <summary>Appends the values to the series and moves its latest value when a value has a later step (then time).</summary>
    private async Task AppendAsync(DbConnection c, DbTransaction t, long run, MetricBatch batch, CancellationToken ct)
    {
        var last = 0;
        for (var i = 1; i < batch.Count; i++)
            if (batch.Steps[i] > batch.Steps[last] || (batch.Steps[i] == batch.Steps[last] && batch.Timestamps[i] >= batch.Timestamps[last]))
                last = i;
        var series = (await SqlDatabase.QueryAsync(c, t,
            "INSERT INTO run_metrics (run, key, value, step, time, points) VALUES (@run, @key, @value, @step, @time, @points) " +
            "ON CONFLICT (run, key) DO UPDATE SET " +
            "value = CASE WHEN excluded.step > run_metrics.step OR (excluded.step = run_metrics.step AND excluded.time >= run_metrics.time) THEN excluded.value ELSE run_metrics.value END, " +
            "time = CASE WHEN excluded.step > run_metrics.step OR (excluded.step = run_metrics.step AND excluded.time >= run_metrics.time) THEN excluded.time ELSE run_metrics.time END, " +
            "step = CASE WHEN excluded.step > run_metrics.step THEN excluded.step ELSE run_metrics.step END, " +
            "points = run_metrics.points + excluded.points RETURNING id",
            r => r.GetInt64(0), ct, ("@run", run), ("@key", batch.Key), ("@value", double.IsNaN(batch.Values[last]) ? null : batch.Values[last]),
            ("@step", batch.Steps[last]), ("@time", batch.Timestamps[last]), ("@points", (long)batch.Count))).Single();
        await db.Dialect.InsertPointsAsync(c, t, series, batch, ct);
    }

    private static async Task ReplaceAsync(DbConnection c, DbTransaction t, string table, long seq, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        await SqlDatabase.ExecuteAsync(c, t, $"DELETE FROM {table} WHERE run = @seq", ct, ("@seq", seq));
        await SetAsync(c, t, table, seq, values, ct);
    }

    /// <summary>Sets the run's entries of a key-value table (params, tags, artifacts), replacing a key's old value.</summary>
    private static async Task SetAsync(DbConnection c, DbTransaction t, string table, long seq, IReadOnlyDictionary<string, string> values, CancellationToken ct)
    {
        foreach (var (key, value) in values)
            await SqlDatabase.ExecuteAsync(c, t,
                $"INSERT INTO {table} (run, key, value) VALUES (@seq, @key, @value) ON CONFLICT (run, key) DO UPDATE SET value = excluded.value", ct,
                ("@seq", seq), ("@key", key), ("@value", value));
    }

    /// <summary>Fills in params, tags, artifacts and latest metrics, read for the given runs only.</summary>
    private static async Task<List<Run>> HydrateAsync(DbConnection c, List<(long Seq, Run Run)> runs, CancellationToken ct)
    {
        if (runs.Count == 0)
            return [];
        var seqs = runs.Select((r, i) => ($"@r{i}", (object?)r.Seq)).ToArray();
        var where = $" WHERE run IN ({string.Join(", ", seqs.Select(i => i.Item1))})";
        var parameters = seqs;
        var text = (string table) => SqlDatabase.QueryAsync(c, null, $"SELECT run, key, value FROM {table}{where}",
            r => (Run: r.GetInt64(0), Key: r.GetString(1), Value: r.GetString(2)), ct, parameters);
        var paramRows = (await text("run_params")).ToLookup(p => p.Run);
        var tagRows = (await text("run_tags")).ToLookup(p => p.Run);
        var artifactRows = (await text("run_artifacts")).ToLookup(p => p.Run);
        var metricRows = (await SqlDatabase.QueryAsync(c, null, $"SELECT run, key, value FROM run_metrics{where}",
            r => (Run: r.GetInt64(0), Key: r.GetString(1), Value: Number(r, 2)), ct, parameters)).ToLookup(m => m.Run);
        return runs.Select(r => r.Run with
        {
            Params = paramRows[r.Seq].ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Tags = tagRows[r.Seq].ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Artifacts = artifactRows[r.Seq].ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            Metrics = metricRows[r.Seq].ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
        }).ToList();
    }

    /// <summary>The body holds what is not queried; params, tags, artifacts and metrics live in their tables.</summary>
    private static string Body(Run run) => TendJson.Serialize(run with { Params = NoText, Tags = NoText, Artifacts = NoText, Metrics = NoNumbers });

    private static (long Seq, Run Run) ReadBody(DbDataReader r) => (r.GetInt64(0), TendJson.Deserialize<Run>(r.GetString(1)));

    private static MetricPoint ReadPoint(DbDataReader r) =>
        new(r.GetInt64(0), Number(r, 1), Number(r, 2), Number(r, 3), r.GetInt64(4));

    private static double Number(DbDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);

    internal static string Status(RunStatus status) => status.ToString().ToLowerInvariant();
}
