using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>Predicts with the champion and queues every prediction on the log (<see cref="PredictionLog"/>), so each request id can take feedback.</summary>
public sealed class PredictionService(ModelHost host, PredictionLog log)
{
    public const string PrimaryRoute = "primary";

    /// <summary>The native protocol: a JSON object of features, or an array of them, for the champion.</summary>
    public Task<PredictionResponse> PredictAsync(string model, JsonElement body, CancellationToken ct, bool explain = false) =>
        PredictAsync(model, null, layout => RequestReader.Read(body, layout), ct, explain);

    /// <summary>
    /// Any protocol: <paramref name="read"/> turns the request into rows of the served model's features (naming the
    /// field of any mistake); the champion answers unless a version is named.
    /// </summary>
    public async Task<PredictionResponse> PredictAsync(string model, int? version, Func<FeatureLayout, Table> read, CancellationToken ct, bool explain = false)
    {
        var started = Stopwatch.GetTimestamp();
        var served = await host.GetAsync(model, version, ct);
        var layout = served.Model.Layout;
        var rows = read(layout);
        var predictions = served.Predict(rows);
        var explained = explain ? served.Explain(rows) : null;
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = DateTimeOffset.UtcNow;
        var answers = new List<RowPrediction>(rows.Rows.Count);
        var records = new List<PredictionRecord>(rows.Rows.Count);
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var id = Guid.CreateVersion7().ToString("N"); // time-ordered: the log's primary key grows at its end
            var score = predictions.Score(i, layout.Classes);
            var probabilities = layout.Task switch
            {
                MlTask.Binary => layout.Classes.ToDictionary(c => c, c => c == layout.PositiveClass ? predictions.Probability![i] : 1 - predictions.Probability![i]),
                MlTask.Multiclass => layout.Classes.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => predictions.ClassProbabilities![i][x.k]),
                _ => null,
            };
            answers.Add(new RowPrediction(id, predictions.Values[i], score, probabilities) { Contributions = explained?[i].Contributions });
            var features = rows.Columns.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => rows.Rows[i][x.k]);
            records.Add(new PredictionRecord(id, now, model, served.Version.Version, PrimaryRoute, features, predictions.Values[i], score, latency / rows.Rows.Count));
        }
        await log.AddAsync(records, ct);
        return new PredictionResponse(model, served.Version.Version, answers);
    }
}
