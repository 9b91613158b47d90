using System.Buffers;
using System.Runtime.CompilerServices;
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
    public async Task<IReadOnlyList<PredictionRecord>> ListAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        await StreamAsync(model, from, to, newestFirst: false, ct).ToListAsync(ct);

    public async IAsyncEnumerable<PredictionRecord> StreamAsync(string model, DateTimeOffset? from, DateTimeOffset? to, bool newestFirst,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var order = newestFirst ? "DESC" : "ASC";
        await using var command = SqlDatabase.Command(connection, null,
            "SELECT p.request_id, p.time, p.body, f.label, f.time FROM predictions p LEFT JOIN feedback f ON f.request_id = p.request_id " +
            $"WHERE p.model = @model AND p.time >= @from AND p.time < @to ORDER BY p.time {order}, p.request_id {order}",
            ("@model", model), ("@from", SqlTime.Format(from ?? DateTimeOffset.MinValue)), ("@to", SqlTime.Format(to ?? DateTimeOffset.MaxValue)));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var sets = await FeatureSetsAsync(ct); // read after the query began: a set commits with the first record that uses it, so every row's set is here
        var read = false;
        try
        {
            // The token is checked each row rather than handed to each read: Npgsql registers a token it is given at each
            // fill of its buffer, which over a million rows costs more than reading them (bench/README.md, monitor window).
            while (await reader.ReadAsync(CancellationToken.None))
            {
                ct.ThrowIfCancellationRequested();
                var record = PredictionRecordJson.Read(reader.GetFieldValue<byte[]>(2), reader.GetString(0), SqlTime.Parse(reader.GetString(1)), model, SetOf); // the body's UTF-8 as stored, no string between
                yield return reader.IsDBNull(3) ? record : record with { Feedback = reader.GetString(3), FeedbackTime = SqlTime.Parse(reader.GetString(4)) };
            }
            read = true;
        }
        finally
        {
            if (!read)
                command.Cancel(); // the caller stopped early (the last N it wanted): the server stops sending, rather than the rows being read to the end
        }

        FeatureSet SetOf(string id) => sets.TryGetValue(id, out var set) ? set : throw new InvalidDataException($"the prediction log names feature set {id}, which is not stored");
    }

    /// <summary>The lists of feature names the log's records refer to, by id.</summary>
    private async Task<Dictionary<string, FeatureSet>> FeatureSetsAsync(CancellationToken ct) =>
        (await db.QueryAsync("SELECT id, names FROM feature_sets", r => (Id: r.GetString(0), Set: FeatureSet.FromJson(r.GetString(1))), ct)).ToDictionary(s => s.Id, s => s.Set);
}
