using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlAlertStore(SqlDatabase db) : IAlertStore
{
    public Task SaveAsync(Alert alert, AuditEntry? audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO alerts (id, rule, fired, body) VALUES (@id, @rule, @fired, @body) " +
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body", ct,
                ("@id", alert.Id), ("@rule", alert.Rule), ("@fired", SqlTime.Format(alert.Fired)), ("@body", TendJson.Serialize(alert)));
            if (audit is not null)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public async Task<Alert?> GetAsync(string id, CancellationToken ct) =>
        (await db.QueryAsync("SELECT body FROM alerts WHERE id = @id", r => TendJson.Deserialize<Alert>(r.GetString(0)), ct, ("@id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<Alert>> ListAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT body FROM alerts ORDER BY fired DESC, id DESC", r => TendJson.Deserialize<Alert>(r.GetString(0)), ct);
}
