using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlAccessStore(SqlDatabase db) : IAccessStore
{
    private const string TokenColumns = "body, last_used";

    public Task SaveTokenAsync(ApiToken token, string? hash, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var body = TendJson.Serialize(token with { LastUsed = null });
            if (hash is null)
                await SqlDatabase.ExecuteAsync(c, t, "UPDATE tokens SET body = @body WHERE id = @id", ct, ("@id", token.Id), ("@body", body));
            else
                await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO tokens (id, hash, subject, created, body) VALUES (@id, @hash, @subject, @created, @body)", ct,
                    ("@id", token.Id), ("@hash", hash), ("@subject", token.Subject), ("@created", SqlTime.Format(token.Created)), ("@body", body));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public async Task<ApiToken?> FindTokenAsync(string hash, CancellationToken ct) =>
        (await db.QueryAsync($"SELECT {TokenColumns} FROM tokens WHERE hash = @hash", ReadToken, ct, ("@hash", hash))).SingleOrDefault();

    public async Task<ApiToken?> GetTokenAsync(string id, CancellationToken ct) =>
        (await db.QueryAsync($"SELECT {TokenColumns} FROM tokens WHERE id = @id", ReadToken, ct, ("@id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct) =>
        await db.QueryAsync($"SELECT {TokenColumns} FROM tokens ORDER BY created DESC, id", ReadToken, ct);

    /// <summary>Not serialized with the other writers: a single-row update that must not queue behind a long ingest.</summary>
    public Task UsedAsync(string id, DateTimeOffset time, CancellationToken ct) =>
        db.WriteAsync((c, t) => SqlDatabase.ExecuteAsync(c, t, "UPDATE tokens SET last_used = @time WHERE id = @id", ct, ("@id", id), ("@time", SqlTime.Format(time))), ct,
            serialized: false);

    public Task<bool> SetGrantAsync(Grant grant, bool granted, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var key = new (string, object?)[] { ("@subject", grant.Subject), ("@project", grant.Project), ("@role", grant.Role.ToString().ToLowerInvariant()) };
            var changed = granted
                ? await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO grants (subject, project, role, granted, actor) VALUES (@subject, @project, @role, @granted, @actor) " +
                    "ON CONFLICT (subject, project, role) DO NOTHING", ct, [.. key, ("@granted", SqlTime.Format(grant.Granted)), ("@actor", grant.Actor)])
                : await SqlDatabase.ExecuteAsync(c, t, "DELETE FROM grants WHERE subject = @subject AND project = @project AND role = @role", ct, key);
            if (changed > 0)
                await SqlAuditLog.AppendAsync(c, t, audit, ct);
            return changed > 0;
        }, ct);

    public async Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct) =>
        await db.QueryAsync("SELECT subject, project, role, granted, actor FROM grants" + (subject is null ? "" : " WHERE subject = @subject") + " ORDER BY subject, project, role",
            r => new Grant(r.GetString(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2), ignoreCase: true), SqlTime.Parse(r.GetString(3)), r.GetString(4)), ct,
            subject is null ? [] : [("@subject", subject)]);

    private static ApiToken ReadToken(DbDataReader r) =>
        TendJson.Deserialize<ApiToken>(r.GetString(0)) with { LastUsed = r.IsDBNull(1) ? null : SqlTime.Parse(r.GetString(1)) };
}
