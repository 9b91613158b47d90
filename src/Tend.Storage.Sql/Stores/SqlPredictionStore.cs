using System.Buffers;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Storage.Sql.Stores;

internal sealed class SqlPredictionStore(SqlDatabase db) : IPredictionStore
{
    /// <summary>
    /// Stores the records, and each list of feature names they use that is not stored yet, in one transaction: a record
    /// is never seen without its names. The rows go in as the dialect does it best (PostgreSQL: one binary COPY).
    /// </summary>
    public Task AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct) =>
        db.WriteAsync(async (c, t) =>
        {
            var sets = new Dictionary<string, FeatureSet>();
            var rows = new List<(string, string, string, string)>(records.Count);
            var body = new ArrayBufferWriter<byte>(4096);
            await using (var json = new Utf8JsonWriter(body))
                foreach (var record in records)
                {
                    sets.TryAdd(record.Features.Set.Id, record.Features.Set);
                    body.ResetWrittenCount();
                    json.Reset();
                    PredictionRecordJson.Write(json, record);
                    json.Flush();
                    rows.Add((record.RequestId, record.Model, SqlTime.Format(record.Time), Encoding.UTF8.GetString(body.WrittenSpan)));
                }
            await db.Dialect.InsertPredictionsAsync(c, t, rows, ct);
            foreach (var set in sets.Values.OrderBy(s => s.Id, StringComparer.Ordinal)) // in one order, so two servers adding the same new sets cannot deadlock
                await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO feature_sets (id, names) VALUES (@id, @names) ON CONFLICT (id) DO NOTHING", ct,
                    ("@id", set.Id), ("@names", set.Json));
        }, ct, serialized: false);

    public Task<IReadOnlyList<string>> AddFeedbackAsync(IReadOnlyList<Feedback> feedback, CancellationToken ct, IReadOnlySet<string>? models = null) =>
        db.WriteAsync<IReadOnlyList<string>>(async (c, t) =>
        {
            var unknown = new List<string>();
            var time = SqlTime.Format(DateTimeOffset.UtcNow);
            var allowed = models?.Select((m, i) => ($"@m{i}", (object?)m)).ToArray() ?? [];
            var ofModels = models is null ? "" : $" AND model IN ({(allowed.Length == 0 ? "NULL" : string.Join(", ", allowed.Select(a => a.Item1)))})";
            foreach (var f in feedback)
                if (await SqlDatabase.ExecuteAsync(c, t,
                        $"INSERT INTO feedback (request_id, label, time) SELECT @id, @label, @time WHERE EXISTS (SELECT 1 FROM predictions WHERE request_id = @id{ofModels}) " +
                        "ON CONFLICT (request_id) DO UPDATE SET label = excluded.label, time = excluded.time", ct,
                        [("@id", f.RequestId), ("@label", f.Label), ("@time", time), .. allowed]) == 0)
                    unknown.Add(f.RequestId);
            return unknown;
        }, ct, serialized: false);

    /// <summary>
    /// The records first, then the feature sets: a set is stored with the first record that uses it, so every record read
    /// finds its set.
    /// </summary>
    public async Task<IReadOnlyList<PredictionRecord>> ListAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var rows = await db.QueryAsync(
            "SELECT p.request_id, p.time, p.body, f.label, f.time FROM predictions p LEFT JOIN feedback f ON f.request_id = p.request_id " +
            "WHERE p.model = @model AND p.time >= @from AND p.time < @to ORDER BY p.time, p.request_id",
            r => (Id: r.GetString(0), Time: r.GetString(1), Body: Encoding.UTF8.GetBytes(r.GetString(2)), Feedback: r.IsDBNull(3) ? null : r.GetString(3), FeedbackTime: r.IsDBNull(4) ? null : r.GetString(4)), ct,
            ("@model", model), ("@from", SqlTime.Format(from ?? DateTimeOffset.MinValue)), ("@to", SqlTime.Format(to ?? DateTimeOffset.MaxValue)));
        if (rows.Count == 0)
            return [];
        var sets = (await db.QueryAsync("SELECT id, names FROM feature_sets", r => (Id: r.GetString(0), Set: FeatureSet.FromJson(r.GetString(1))), ct))
            .ToDictionary(s => s.Id, s => s.Set);
        FeatureSet SetOf(string id) => sets.TryGetValue(id, out var set) ? set : throw new InvalidDataException($"the prediction log names feature set {id}, which is not stored");
        return rows.Select(row =>
        {
            var record = PredictionRecordJson.Read(row.Body, row.Id, SqlTime.Parse(row.Time), model, SetOf);
            return row.Feedback is null ? record : record with { Feedback = row.Feedback, FeedbackTime = SqlTime.Parse(row.FeedbackTime!) };
        }).ToList();
    }
}
