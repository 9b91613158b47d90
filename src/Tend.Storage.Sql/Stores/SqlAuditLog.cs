using System.Data.Common;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlAuditLog(SqlDatabase db) : IAuditLog
{
    private const string Columns = "sequence, time, actor, action, subject, reason, previous_hash, hash, state_before, state_after";

    public Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken ct) =>
        db.WriteAsync((c, t) => AppendAsync(c, t, entry, ct), ct);

    public async Task<IReadOnlyList<AuditEvent>> ListAsync(CancellationToken ct, string? subject = null, DateTimeOffset? since = null)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (subject is not null)
        {
            where.Add("subject LIKE @subject ESCAPE '\\'");
            parameters.Add(("@subject", Like(subject) + "%"));
        }
        if (since is { } from)
        {
            where.Add("time >= @since");
            parameters.Add(("@since", SqlTime.Format(from)));
        }
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        return await db.QueryAsync($"SELECT {Columns} FROM audit_events{filter} ORDER BY sequence", Read, ct, parameters.ToArray());
    }

    /// <summary>Appends within the caller's write transaction, which holds the writer lock, so the chain has no forks.</summary>
    public static async Task<AuditEvent> AppendAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken ct)
    {
        var last = await SqlDatabase.QueryAsync(connection, transaction,
            "SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", r => (Sequence: r.GetInt64(0), Hash: r.GetString(1)), ct);
        var previous = last.Count == 0 ? (Sequence: 0L, Hash: AuditHash.Genesis) : last[0];
        var sequence = previous.Sequence + 1;
        var time = SqlTime.Parse(SqlTime.Format(DateTimeOffset.UtcNow));
        var hash = AuditHash.Compute(previous.Hash, sequence, time, entry);
        await SqlDatabase.ExecuteAsync(connection, transaction,
            "INSERT INTO audit_events (time, actor, action, subject, reason, previous_hash, hash, state_before, state_after) VALUES (@time, @actor, @action, @subject, @reason, @previous, @hash, @before, @after)", ct,
            ("@time", SqlTime.Format(time)), ("@actor", entry.Actor), ("@action", entry.Action), ("@subject", entry.Subject),
            ("@reason", entry.Reason), ("@previous", previous.Hash), ("@hash", hash), ("@before", entry.Before), ("@after", entry.After));
        return new AuditEvent(sequence, time, entry.Actor, entry.Action, entry.Subject, entry.Reason, previous.Hash, hash, entry.Before, entry.After);
    }

    private static string Like(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static AuditEvent Read(DbDataReader r) => new(r.GetInt64(0), SqlTime.Parse(r.GetString(1)), r.GetString(2), r.GetString(3),
        r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));
}
