using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;

namespace Tend.Storage.Sql.Stores;

/// <summary>Jobs as JSON, with the state and the fencing number as columns; each write reads and writes under the writer lock, so two attempts never interleave.</summary>
internal sealed class SqlJobStore(SqlDatabase db) : IJobStore
{
    public Task<bool> AddAsync(Job job, CancellationToken ct) =>
        db.WriteAsync(async (c, t) => await SqlDatabase.ExecuteAsync(c, t,
            "INSERT INTO jobs (id, kind, state, fence, created, body) VALUES (@id, @kind, @state, @fence, @created, @body) ON CONFLICT (id) DO NOTHING", ct,
            ("@id", job.Id), ("@kind", job.Kind), ("@state", TendJson.Name(job.State)), ("@fence", job.Fence), ("@created", SqlTime.Format(job.Created)), ("@body", TendJson.Serialize(job))) > 0, ct);

    public async Task<Job?> GetAsync(string id, CancellationToken ct) =>
        (await db.QueryAsync("SELECT body FROM jobs WHERE id = @id", Read, ct, ("@id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<Job>> ListAsync(CancellationToken ct) => await db.QueryAsync("SELECT body FROM jobs ORDER BY created DESC, id DESC", Read, ct);

    public Task<Job?> BeginAsync(string id, string owner, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            if (await GetAsync(c, t, id, ct) is not { HasEnded: false } job)
                return null;
            var begun = job with { State = JobState.Running, Fence = job.Fence + 1, Owner = owner, Started = now };
            await SaveAsync(c, t, begun, ct);
            return begun;
        }, ct);

    public async Task<bool> IsCurrentAsync(string id, long fence, CancellationToken ct) =>
        (await db.QueryAsync("SELECT 1 FROM jobs WHERE id = @id AND fence = @fence AND state = @running", r => true, ct,
            ("@id", id), ("@fence", fence), ("@running", TendJson.Name(JobState.Running)))).Count > 0;

    public Task<bool> EndAsync(string id, long fence, string? result, TendException? failure, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            if (await GetAsync(c, t, id, ct) is not { State: JobState.Running } job || job.Fence != fence)
                return false;
            await SaveAsync(c, t, job with { State = failure is null ? JobState.Succeeded : JobState.Failed, Ended = now, Result = result, Error = failure?.Message, Code = failure?.Code }, ct);
            return true;
        }, ct);

    public Task<Job?> CancelAsync(string id, string by, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync<Job?>(async (c, t) =>
        {
            var job = await GetAsync(c, t, id, ct);
            if (job is null || job.HasEnded)
                return job;
            var asked = job.State == JobState.Queued
                ? job with { State = JobState.Failed, Ended = now, Error = $"cancelled by {by} before it started", Code = ErrorCode.Conflict, CancelledBy = by }
                : job with { CancelledBy = by };
            await SaveAsync(c, t, asked, ct);
            return asked;
        }, ct);

    private static async Task<Job?> GetAsync(DbConnection c, DbTransaction t, string id, CancellationToken ct) =>
        (await SqlDatabase.QueryAsync(c, t, "SELECT body FROM jobs WHERE id = @id", Read, ct, ("@id", id))).SingleOrDefault();

    private static Task<int> SaveAsync(DbConnection c, DbTransaction t, Job job, CancellationToken ct) =>
        SqlDatabase.ExecuteAsync(c, t, "UPDATE jobs SET state = @state, fence = @fence, body = @body WHERE id = @id", ct,
            ("@id", job.Id), ("@state", TendJson.Name(job.State)), ("@fence", job.Fence), ("@body", TendJson.Serialize(job)));

    private static Job Read(DbDataReader r) => TendJson.Deserialize<Job>(r.GetString(0));
}
