using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

/// <summary>Pipeline runs: the record as JSON, with its state, heartbeat, owner and cancel request as columns a running process updates.</summary>
internal sealed class SqlPipelineStore(SqlDatabase db) : IPipelineStore
{
    private const string Running = "running";
    private const string Ended = "ended";

    public Task<bool> AddAsync(PipelineRun run, AuditEntry audit, StartLimit? limit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            // A running one only while no run of the same pipeline runs, and within its limit: checked and written in one statement.
            (string, object?)[] values = [("@id", run.Id), ("@started", SqlTime.Format(run.Started)), ("@body", TendJson.Serialize(run)),
                ("@state", run.Status == PipelineState.Running ? Running : Ended), ("@beat", run.Heartbeat is { } beat ? SqlTime.Format(beat) : null), ("@owner", run.Owner),
                ("@pipeline", $"{run.Project}/{run.Name}")];
            var limited = "";
            if (limit is not null)
            {
                limited = " AND (SELECT COUNT(*) FROM pipeline_runs WHERE pipeline = @pipeline AND started > @since) < @runs";
                values = [.. values, ("@since", SqlTime.Format(limit.Since)), ("@runs", (long)limit.Runs)];
            }
            var added = await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO pipeline_runs (id, started, body, state, heartbeat, owner, pipeline) " +
                "SELECT @id, @started, @body, @state, @beat, @owner, @pipeline WHERE (@state <> 'running' OR NOT EXISTS " +
                $"(SELECT 1 FROM pipeline_runs WHERE state = '{Running}' AND pipeline = @pipeline)){limited}", ct, values) > 0;
            if (added)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return added;
        }, ct);

    public Task<bool> EndAsync(PipelineRun run, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var ended = await SqlDatabase.ExecuteAsync(c, t, $"UPDATE pipeline_runs SET body = @body, state = '{Ended}', owner = NULL WHERE id = @id AND state = '{Running}'", ct,
                ("@id", run.Id), ("@body", TendJson.Serialize(run with { Owner = null, Heartbeat = null }))) > 0;
            if (ended)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return ended;
        }, ct);

    public Task ProgressAsync(PipelineRun run, CancellationToken ct) =>
        db.WriteAsync((c, t) => SqlDatabase.ExecuteAsync(c, t, $"UPDATE pipeline_runs SET body = @body WHERE id = @id AND state = '{Running}'", ct,
            ("@id", run.Id), ("@body", TendJson.Serialize(run with { Owner = null, Heartbeat = null }))), ct);

    public Task<string?> BeatAsync(string id, string owner, DateTimeOffset time, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, $"UPDATE pipeline_runs SET heartbeat = @time, owner = @owner WHERE id = @id AND state = '{Running}'", ct,
                ("@id", id), ("@owner", owner), ("@time", SqlTime.Format(time)));
            return (await SqlDatabase.QueryAsync(c, t, "SELECT cancelled_by FROM pipeline_runs WHERE id = @id", r => r.IsDBNull(0) ? null : r.GetString(0), ct, ("@id", id))).FirstOrDefault();
        }, ct);

    public Task<bool> RequestCancelAsync(string id, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var asked = await SqlDatabase.ExecuteAsync(c, t, $"UPDATE pipeline_runs SET cancelled_by = @actor WHERE id = @id AND state = '{Running}' AND cancelled_by IS NULL", ct,
                ("@id", id), ("@actor", audit.Actor)) > 0;
            if (asked)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return asked;
        }, ct);

    public async Task<IReadOnlyList<PipelineRun>> ListAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT body, state, heartbeat, owner, cancelled_by FROM pipeline_runs ORDER BY started", r =>
        {
            var run = TendJson.Deserialize<PipelineRun>(r.GetString(0));
            return r.GetString(1) != Running ? run : run with
            {
                Heartbeat = r.IsDBNull(2) ? null : SqlTime.Parse(r.GetString(2)),
                Owner = r.IsDBNull(3) ? null : r.GetString(3),
                CancelledBy = r.IsDBNull(4) ? null : r.GetString(4),
            };
        }, ct);

    public async Task<string?> GetWatermarkAsync(string key, CancellationToken ct) =>
        (await db.QueryAsync("SELECT observed FROM source_watermarks WHERE key = @key", r => r.GetString(0), ct, ("@key", key))).FirstOrDefault();

    public Task<bool> MoveWatermarkAsync(string key, string? expected, string observed, DateTimeOffset time, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            (string, object?)[] values = [("@key", key), ("@observed", observed), ("@moved", SqlTime.Format(time))];
            return await (expected is null
                ? SqlDatabase.ExecuteAsync(c, t, "INSERT INTO source_watermarks (key, observed, moved) VALUES (@key, @observed, @moved) ON CONFLICT (key) DO NOTHING", ct, values)
                : SqlDatabase.ExecuteAsync(c, t, "UPDATE source_watermarks SET observed = @observed, moved = @moved WHERE key = @key AND observed = @expected", ct,
                    [.. values, ("@expected", expected)])) > 0;
        }, ct);
}
