using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlApprovalStore(SqlDatabase db) : IApprovalStore
{
    public Task AddAsync(ApprovalRequest request, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO approval_requests (id, status, created, body) VALUES (@id, @status, @created, @body)", ct,
                ("@id", request.Id), ("@status", Status(request.Status)), ("@created", SqlTime.Format(request.Created)), ("@body", TendJson.Serialize(request)));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken ct) =>
        Prefix.Like(id) is not { } like ? null
        : Prefix.Single(await db.QueryAsync("SELECT body FROM approval_requests WHERE id LIKE @id ESCAPE '\\'", Read, ct, ("@id", like)), $"request id '{id}'");

    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken ct) => status is { } s
        ? await db.QueryAsync("SELECT body FROM approval_requests WHERE status = @status ORDER BY created", Read, ct, ("@status", Status(s)))
        : await db.QueryAsync("SELECT body FROM approval_requests ORDER BY created", Read, ct);

    public Task DecideAsync(ApprovalRequest decided, AliasMove? move, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var changed = await SqlDatabase.ExecuteAsync(c, t, "UPDATE approval_requests SET status = @status, body = @body WHERE id = @id AND status = @pending", ct,
                ("@id", decided.Id), ("@status", Status(decided.Status)), ("@body", TendJson.Serialize(decided)), ("@pending", Status(ApprovalStatus.Pending)));
            if (changed == 0)
                throw new TendException(ErrorCode.Conflict, $"request {decided.Id} was decided meanwhile; 'tend models requests' shows it");
            if (move is not null)
                await SqlModelStore.MoveAsync(c, t, move, ct);
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    private static string Status(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    private static ApprovalRequest Read(System.Data.Common.DbDataReader r) => TendJson.Deserialize<ApprovalRequest>(r.GetString(0));
}
