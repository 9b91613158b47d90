using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlEvaluationStore(SqlDatabase db) : IEvaluationStore
{
    public Task AddAsync(EvaluationRecord evaluation, AuditEntry audit, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO evaluations (id, run_id, created, body) VALUES (@id, @run, @created, @body)", ct,
                ("@id", evaluation.Id), ("@run", evaluation.RunId), ("@created", SqlTime.Format(evaluation.Created)), ("@body", TendJson.Serialize(evaluation)));
            await SqlAuditLog.AppendAsync(c, t, audit, ct);
        }, ct);

    public async Task<IReadOnlyList<EvaluationRecord>> ListAsync(string runId, CancellationToken ct) =>
        await db.QueryAsync("SELECT body FROM evaluations WHERE run_id = @run ORDER BY created DESC", r => TendJson.Deserialize<EvaluationRecord>(r.GetString(0)), ct, ("@run", runId));

    public async Task<EvaluationRecord?> GetAsync(string id, CancellationToken ct) =>
        Prefix.Like(id) is not { } like ? null
        : Prefix.Single(await db.QueryAsync("SELECT body FROM evaluations WHERE id LIKE @id ESCAPE '\\'", r => TendJson.Deserialize<EvaluationRecord>(r.GetString(0)), ct,
            ("@id", like)), $"evaluation id '{id}'");
}
