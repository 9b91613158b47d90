using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Serving.Protocols;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>
/// How the server treats requests: whether a field that is not a feature is refused (else ignored and counted); who
/// hears of each request's signature check, of each answer with the time it took (any protocol), and of each model loaded with the time that took.
/// </summary>
public sealed record ServingOptions(bool RejectUnknownFields = false, Action<string, SignatureCheck>? Observed = null, Action<PredictionResponse, TimeSpan>? Answered = null,
    Action<ServedModel, TimeSpan>? Loaded = null, LogDurability LogDurability = LogDurability.Batched);

/// <summary>
/// Answers predict requests of every protocol: routes each request (champion, or the canary for its share of traffic,
/// sticky per routing key), predicts, queues every row on the log (<see cref="PredictionLog"/>) so its request id can
/// take feedback, and offers a copy to the shadow (<see cref="ShadowScorer"/>) without waiting for it.
/// </summary>
public sealed class PredictionService(ModelHost host, PredictionLog log, ShadowScorer shadow, ServingOptions? options = null)
{
    private readonly ServingOptions _options = options ?? new ServingOptions();

    /// <summary>The route of a request that named its version (Open Inference's /versions/V): no canary, no shadow.</summary>
    public const string PinnedRoute = "pinned";

    /// <summary>
    /// A request of any protocol: routed (a named version answers itself; otherwise the deployment decides), read into
    /// rows of the routed version's features and checked against its signature, scored, logged, and offered to the shadow.
    /// </summary>
    public async Task<PredictionResponse> PredictAsync(PredictRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var (model, version) = (request.Model, request.Version);
        var deployment = version is null ? await host.DeploymentAsync(model, ct) : null;
        var route = deployment is null ? PinnedRoute : Route(deployment, request.RoutingKey);
        using var lease = await host.LeaseAsync(model, route == Deployment.CanaryRoute ? deployment!.Canary : version, ct);
        var served = lease.Model;
        var check = new SignatureCheck(served.Model.Layout, _options.RejectUnknownFields);
        RequestRows rows;
        Predictions predictions;
        IReadOnlyList<RowExplanation>? explained;
        try
        {
            rows = request.Read(check);
            _options.Observed?.Invoke(model, check);
            predictions = served.Predict(rows.Inputs(served.Model.Inputs));
            explained = request.Explain ? served.Explain(rows.ToTable()) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException) // answered with the failure, and logged with it: the client's mistake, or the server's
        {
            await LogAsync([PredictionRecord.Rejected(RequestIds.Next(), host.Time.GetUtcNow(), model, served.Version.Version, route, e.Message)], ct);
            throw;
        }
        var ids = new string[rows.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = RequestIds.Next();
        var records = Records(served, route, rows, predictions, ids, host.Time.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await LogAsync(records, ct);
        if (deployment?.Shadow is { } shadowVersion)
            shadow.Offer(new ShadowRequest(model, shadowVersion, rows, ids));
        var layout = served.Model.Layout;
        var answers = records.Select((r, i) =>
            new RowPrediction(r.RequestId, layout.Task == MlTask.Regression ? r.Score!.Value : r.Prediction, r.Score!.Value, Probabilities(layout, predictions, i))
            { Contributions = explained?[i].Contributions }).ToList();
        var response = new PredictionResponse(model, served.Version.Version, route, answers) { Layout = layout };
        _options.Answered?.Invoke(response, Stopwatch.GetElapsedTime(started));
        return response;
    }

    /// <summary>Queues the records on the log; with <see cref="LogDurability.Sync"/>, returns once they are committed.</summary>
    private async Task LogAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        await log.AddAsync(records, ct);
        if (_options.LogDurability == LogDurability.Sync)
            await log.FlushAsync(ct);
    }

    /// <summary>The canary for its share of requests: the same routing key always lands on the same side; without one, chance decides.</summary>
    public static string Route(Deployment deployment, string? key)
    {
        if (deployment.Canary is null)
            return Deployment.Primary;
        var draw = key is null ? Random.Shared.NextDouble() * 100 : XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(key)) % 10_000 / 100.0;
        return draw < deployment.CanaryPercent ? Deployment.CanaryRoute : Deployment.Primary;
    }

    /// <summary>The log records of a scored request, one a row: features, prediction, score, when, and the time per row.</summary>
    public static List<PredictionRecord> Records(ServedModel served, string route, RequestRows rows, Predictions predictions, IReadOnlyList<string> ids, DateTimeOffset now, double latencyMs)
    {
        var records = new List<PredictionRecord>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
            records.Add(new PredictionRecord(ids[i], now, served.Version.Name, served.Version.Version, route, rows.Features(i),
                predictions.Values[i], predictions.Score(i, served.Model.Layout.Classes), latencyMs / rows.Count));
        return records;
    }

    private static Dictionary<string, double>? Probabilities(FeatureLayout layout, Predictions predictions, int i) => layout.Task switch
    {
        MlTask.Binary => layout.Classes.ToDictionary(c => c, c => c == layout.PositiveClass ? predictions.Probability![i] : 1 - predictions.Probability![i]),
        MlTask.Multiclass => layout.Classes.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => predictions.ClassProbabilities![i][x.k]),
        _ => null,
    };
}
