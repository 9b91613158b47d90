using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlModelStore(SqlDatabase db) : IModelStore
{
    public Task<ModelVersion> RegisterAsync(ModelVersion version, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var last = await SqlDatabase.QueryAsync(c, t, "SELECT MAX(version) FROM model_versions WHERE name = @name",
                r => r.IsDBNull(0) ? 0 : r.GetInt64(0), ct, ("@name", version.Name));
            var registered = version with { Version = (int)last[0] + 1, Aliases = [] };
            audit = audit with { After = TendJson.Serialize(registered) };
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO model_versions (name, version, created, body) VALUES (@name, @version, @created, @body)", ct,
                ("@name", registered.Name), ("@version", (long)registered.Version), ("@created", SqlTime.Format(registered.Created)),
                ("@body", TendJson.Serialize(registered)));
            await SqlAuditLog.AppendAsync(c, t, audit with { Subject = $"{registered.Name}@{registered.Version}" }, ct);
            return registered;
        }, ct);

    public async Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct) =>
        (await WithAliasesAsync(await db.QueryAsync("SELECT body FROM model_versions WHERE name = @name AND version = @version", Read, ct,
            ("@name", name), ("@version", (long)version)), ct)).SingleOrDefault();

    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken ct) =>
        await WithAliasesAsync(await db.QueryAsync("SELECT body FROM model_versions ORDER BY name, version", Read, ct), ct);

    public Task UpdateAsync(ModelVersion version, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "UPDATE model_versions SET body = @body WHERE name = @name AND version = @version", ct,
                ("@name", version.Name), ("@version", (long)version.Version), ("@body", TendJson.Serialize(version with { Aliases = [] })));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public Task<AliasMove> MoveAliasAsync(AliasMove move, Func<AliasMove, AuditEntry> audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var recorded = await MoveAsync(c, t, move, ct);
            await SqlAuditLog.AppendAsync(c, t, audit(recorded), ct);
            return recorded;
        }, ct);

    /// <summary>
    /// Points the alias and appends to its history within the caller's transaction (approvals move aliases too), with
    /// the holder read in that transaction as its "from"; writers are serialized, so no other move comes between.
    /// </summary>
    public static async Task<AliasMove> MoveAsync(DbConnection c, DbTransaction t, AliasMove move, CancellationToken ct)
    {
        var holder = await SqlDatabase.QueryAsync(c, t, "SELECT version FROM model_aliases WHERE name = @name AND alias = @alias", r => (int?)r.GetInt64(0), ct,
            ("@name", move.Model), ("@alias", move.Alias));
        move = move with { From = holder.SingleOrDefault() };
        var time = SqlTime.Format(move.Time);
        await SqlDatabase.ExecuteAsync(c, t,
            "INSERT INTO model_aliases (name, alias, version, moved) VALUES (@name, @alias, @version, @moved) " +
            "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, moved = excluded.moved", ct,
            ("@name", move.Model), ("@alias", move.Alias), ("@version", (long)move.To), ("@moved", time));
        await SqlDatabase.ExecuteAsync(c, t,
            "INSERT INTO alias_moves (name, alias, from_version, to_version, actor, reason, kind, time) VALUES (@name, @alias, @from, @to, @actor, @reason, @kind, @time)", ct,
            ("@name", move.Model), ("@alias", move.Alias), ("@from", move.From is { } from ? (long)from : null), ("@to", (long)move.To),
            ("@actor", move.Actor), ("@reason", move.Reason), ("@kind", move.Kind), ("@time", time));
        return move;
    }

    public async Task<IReadOnlyList<AliasMove>> HistoryAsync(string name, string? alias, CancellationToken ct) =>
        await db.QueryAsync("SELECT sequence, name, alias, from_version, to_version, actor, reason, kind, time FROM alias_moves WHERE name = @name" +
            (alias is null ? "" : " AND alias = @alias") + " ORDER BY sequence",
            r => new AliasMove(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : (int)r.GetInt64(3), (int)r.GetInt64(4),
                r.GetString(5), r.GetString(6), r.GetString(7), SqlTime.Parse(r.GetString(8))),
            ct, alias is null ? [("@name", name)] : [("@name", name), ("@alias", alias)]);

    public async Task<ModelAlias?> GetAliasAsync(string name, string alias, CancellationToken ct) =>
        (await db.QueryAsync("SELECT name, alias, version, moved FROM model_aliases WHERE name = @name AND alias = @alias", ReadAlias, ct,
            ("@name", name), ("@alias", alias))).SingleOrDefault();

    private async Task<IReadOnlyList<ModelVersion>> WithAliasesAsync(List<ModelVersion> versions, CancellationToken ct)
    {
        if (versions.Count == 0)
            return versions;
        var aliases = await db.QueryAsync("SELECT name, alias, version, moved FROM model_aliases ORDER BY alias", ReadAlias, ct);
        return versions.Select(v => v with
        {
            Aliases = aliases.Where(a => a.Model == v.Name && a.Version == v.Version).Select(a => a.Alias).ToList(),
        }).ToList();
    }

    private static ModelVersion Read(DbDataReader r) => TendJson.Deserialize<ModelVersion>(r.GetString(0));

    private static ModelAlias ReadAlias(DbDataReader r) => new(r.GetString(0), r.GetString(1), (int)r.GetInt64(2), SqlTime.Parse(r.GetString(3)));
}
