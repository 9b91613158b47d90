using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

/// <summary>Releases as JSON, with the model, whether active and the revision as columns: one active per model, checked in the statement that writes.</summary>
internal sealed class SqlReleaseStore(SqlDatabase db) : IReleaseStore
{
    public Task<bool> StartAsync(Release release, Release? superseded, IReadOnlyList<AuditEntry> audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            if (superseded is not null && !await UpdateAsync(c, t, superseded, ct))
                return false;
            var added = await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO releases (id, model, active, revision, started, body) " +
                "SELECT @id, @model, 1, 0, @started, @body WHERE NOT EXISTS (SELECT 1 FROM releases WHERE model = @model AND active = 1)", ct,
                ("@id", release.Id), ("@model", release.Model), ("@started", SqlTime.Format(release.Started)), ("@body", TendJson.Serialize(release))) > 0;
            if (!added)
                return false;
            foreach (var entry in audit)
                await SqlAuditLog.AppendAsync(c, t, entry, ct);
            return true;
        }, ct);

    public Task<bool> SaveAsync(Release release, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            if (!await UpdateAsync(c, t, release, ct))
                return false;
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return true;
        }, ct);

    private static async Task<bool> UpdateAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction t, Release release, CancellationToken ct)
    {
        var saved = release with { Revision = release.Revision + 1 };
        return await SqlDatabase.ExecuteAsync(c, t, "UPDATE releases SET body = @body, active = @active, revision = @next WHERE id = @id AND revision = @revision", ct,
            ("@id", release.Id), ("@body", TendJson.Serialize(saved)), ("@active", saved.Active ? 1L : 0L), ("@next", (long)saved.Revision), ("@revision", (long)release.Revision)) > 0;
    }

    public async Task<Release?> GetAsync(string id, CancellationToken ct) =>
        (await db.QueryAsync("SELECT body FROM releases WHERE id = @id", Read, ct, ("@id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<Release>> ListAsync(string? model, CancellationToken ct) => model is null
        ? await db.QueryAsync("SELECT body FROM releases ORDER BY started DESC, id DESC", Read, ct)
        : await db.QueryAsync("SELECT body FROM releases WHERE model = @model ORDER BY started DESC, id DESC", Read, ct, ("@model", model));

    private static Release Read(System.Data.Common.DbDataReader r) => TendJson.Deserialize<Release>(r.GetString(0));
}
