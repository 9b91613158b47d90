using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlDeploymentStore(SqlDatabase db) : IDeploymentStore
{
    public async Task<Deployment?> GetAsync(string model, CancellationToken ct) =>
        (await db.QueryAsync("SELECT body FROM deployments WHERE model = @model", r => TendJson.Deserialize<Deployment>(r.GetString(0)), ct, ("@model", model))).SingleOrDefault();

    public Task SaveAsync(Deployment deployment, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO deployments (model, updated, body) VALUES (@model, @updated, @body) " +
                "ON CONFLICT (model) DO UPDATE SET updated = excluded.updated, body = excluded.body", ct,
                ("@model", deployment.Model), ("@updated", SqlTime.Format(deployment.Updated)), ("@body", TendJson.Serialize(deployment)));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);
}
