using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlPredictionStore(SqlDatabase db) : IPredictionStore
{
    public Task AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            await using var command = SqlDatabase.Command(c, t, "INSERT INTO predictions (request_id, model, time, body) VALUES (@id, @model, @time, @body)",
                ("@id", ""), ("@model", ""), ("@time", ""), ("@body", ""));
            var body = new ArrayBufferWriter<byte>(4096);
            await using var json = new Utf8JsonWriter(body);
            foreach (var record in records)
            {
                body.ResetWrittenCount();
                json.Reset();
                PredictionRecordJson.Write(json, record);
                json.Flush();
                command.Parameters[0].Value = record.RequestId;
                command.Parameters[1].Value = record.Model;
                command.Parameters[2].Value = SqlTime.Format(record.Time);
                command.Parameters[3].Value = Encoding.UTF8.GetString(body.WrittenSpan);
                await command.ExecuteNonQueryAsync(ct);
            }
        }, ct, serialized: false);

    public Task<IReadOnlyList<string>> AddFeedbackAsync(IReadOnlyList<Feedback> feedback, CancellationToken ct) =>
        db.WriteAsync<IReadOnlyList<string>>(async (c, t) =>
        {
            var unknown = new List<string>();
            var time = SqlTime.Format(DateTimeOffset.UtcNow);
            foreach (var f in feedback)
                if (await SqlDatabase.ExecuteAsync(c, t,
                        "INSERT INTO feedback (request_id, label, time) SELECT @id, @label, @time WHERE EXISTS (SELECT 1 FROM predictions WHERE request_id = @id) " +
                        "ON CONFLICT (request_id) DO UPDATE SET label = excluded.label, time = excluded.time", ct,
                        ("@id", f.RequestId), ("@label", f.Label), ("@time", time)) == 0)
                    unknown.Add(f.RequestId);
            return unknown;
        }, ct, serialized: false);

    public async Task<IReadOnlyList<PredictionRecord>> ListAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT p.body, f.label FROM predictions p LEFT JOIN feedback f ON f.request_id = p.request_id " +
            "WHERE p.model = @model AND p.time >= @from AND p.time < @to ORDER BY p.time, p.request_id", Read, ct,
            ("@model", model), ("@from", SqlTime.Format(from ?? DateTimeOffset.MinValue)), ("@to", SqlTime.Format(to ?? DateTimeOffset.MaxValue)));

    private static PredictionRecord Read(DbDataReader r) =>
        TendJson.Deserialize<PredictionRecord>(r.GetString(0)) with { Feedback = r.IsDBNull(1) ? null : r.GetString(1) };
}
