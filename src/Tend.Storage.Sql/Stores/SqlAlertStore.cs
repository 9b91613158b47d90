using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlAlertStore(SqlDatabase db) : IAlertStore
{
    /// <summary>
    /// Saves the alert; an acknowledgement already stored is kept. A monitor run that read the alert before someone
    /// acknowledged it, and counts a repeat on it after, would otherwise reopen it (writers are serialized, so the
    /// read here sees every acknowledgement committed before).
    /// </summary>
    public Task SaveAsync(Alert alert, AuditEntry? audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var stored = (await SqlDatabase.QueryAsync(c, t, "SELECT body FROM alerts WHERE id = @id", r => TendJson.Deserialize<Alert>(r.GetString(0)), ct,
                ("@id", alert.Id))).SingleOrDefault();
            if (stored is { Acknowledged: not null } && alert.Acknowledged is null)
                alert = alert with { Acknowledged = stored.Acknowledged, AcknowledgedBy = stored.AcknowledgedBy };
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
