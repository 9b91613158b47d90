using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlDatasetStore(SqlDatabase db) : IDatasetStore
{
    public Task<bool> AddAsync(DatasetVersion version, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var inserted = await SqlDatabase.ExecuteAsync(c, t,
                "INSERT INTO datasets (name, version, created, body) VALUES (@name, @version, @created, @body) ON CONFLICT DO NOTHING", ct,
                ("@name", version.Name), ("@version", version.Version), ("@created", SqlTime.Format(version.Created)), ("@body", TendJson.Serialize(version)));
            if (inserted == 1)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return inserted == 1;
        }, ct);

    public async Task<DatasetVersion?> GetAsync(string name, string? version, CancellationToken ct)
    {
        var like = version is null ? null : Prefix.Like(version.ToLowerInvariant());
        var rows = version is null
            ? await db.QueryAsync("SELECT body FROM datasets WHERE name = @name ORDER BY created DESC LIMIT 1", Read, ct, ("@name", name))
            : like is null ? []
            : await db.QueryAsync("SELECT body FROM datasets WHERE name = @name AND version LIKE @prefix ESCAPE '\\' ORDER BY created DESC LIMIT 2", Read, ct,
                ("@name", name), ("@prefix", like));
        return Prefix.Single(rows, $"dataset '{name}@{version}'");
    }

    public async Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT body FROM datasets ORDER BY created", Read, ct);

    private static DatasetVersion Read(System.Data.Common.DbDataReader r) => TendJson.Deserialize<DatasetVersion>(r.GetString(0));
}
