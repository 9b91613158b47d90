using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Core.Stores;

namespace Tend.Serving;

/// <summary>Predicts with the champion and logs every prediction before answering, so each request id can take feedback.</summary>
public sealed class PredictionService(ModelHost host, IPredictionStore log)
{
    public const string PrimaryRoute = "primary";

    public async Task<PredictionResponse> PredictAsync(string model, JsonElement body, CancellationToken ct, bool explain = false)
    {
        var started = Stopwatch.GetTimestamp();
        var served = await host.GetAsync(model, ct);
        var layout = served.Model.Layout;
        var rows = RequestReader.Read(body, layout);
        var predictions = served.Predict(rows);
        var explained = explain ? served.Explain(rows) : null;
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = DateTimeOffset.UtcNow;
        var answers = new List<RowPrediction>(rows.Rows.Count);
        var records = new List<PredictionRecord>(rows.Rows.Count);
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var id = Guid.NewGuid().ToString("N");
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
