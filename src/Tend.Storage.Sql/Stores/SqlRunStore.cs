using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlRunStore(SqlDatabase db) : IRunStore
{
    public Task SaveAsync(Run run, AuditEntry? audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t,
                "INSERT INTO runs (id, started, body) VALUES (@id, @started, @body) ON CONFLICT (id) DO UPDATE SET body = excluded.body", ct,
                ("@id", run.Id), ("@started", SqlTime.Format(run.Started)), ("@body", TendJson.Serialize(run)));
            if (audit is not null)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct, serialized: audit is not null);

    public async Task<Run?> GetAsync(string idPrefix, CancellationToken ct) =>
        Prefix.Single(await db.QueryAsync("SELECT body FROM runs WHERE id LIKE @prefix LIMIT 2", Read, ct, ("@prefix", idPrefix.ToLowerInvariant() + "%")),
            $"run '{idPrefix}'");

    public async Task<IReadOnlyList<Run>> ListAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT body FROM runs ORDER BY started", Read, ct);

    public Task<bool> DeleteAsync(string id, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var deleted = await SqlDatabase.ExecuteAsync(c, t, "DELETE FROM runs WHERE id = @id", ct, ("@id", id)) > 0;
            if (deleted)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return deleted;
        }, ct, serialized: true);

    private static Run Read(System.Data.Common.DbDataReader r) => TendJson.Deserialize<Run>(r.GetString(0));
}
