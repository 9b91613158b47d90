using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Domain;
using Tend.Core.Stores;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Registry;
using Tend.Serving;

namespace Tend.EndToEnd.Tests.Releases;

/// <summary>
/// Replays rows of a real dataset as served traffic on a fake clock, as the server would log it: each request routed
/// by the model's deployment (the same sticky routing, <see cref="PredictionService.Route"/>), scored one row at a time
/// by the real model of its route, with a simulated latency (one seeded draw for every version, plus the version's
/// <see cref="Delay"/>, standing in for a model that is slow to serve: a measured one would judge the machine's load), logged, and copied to the shadow. A share of the rows gets its true label back after
/// <see cref="FeedbackLag"/>. Every simulated minute the release is judged, as the server's release host does. Request
/// ids start with <c>ids</c>: a second replay in the same store needs other ids.
/// </summary>
internal sealed class TrafficReplay(Workspace ws, FakeTimeProvider time, Table data, string label, string ids = "req") : IDisposable
{
    private readonly Dictionary<int, ServedModel> _models = [];
    private readonly List<(DateTimeOffset Due, Feedback Feedback)> _feedback = [];
    private int _next;
    private readonly Random _latency = new(7);

    /// <summary>Milliseconds added to a version's measured latency.</summary>
    public Dictionary<int, double> Delay { get; } = [];

    public TimeSpan FeedbackLag { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every n-th request gets its label back.</summary>
    public int FeedbackEvery { get; set; } = 2;

    public int Requests { get; private set; }

    /// <summary>How long judging took, all told, and at most once, and how many times the release was judged.</summary>
    public (TimeSpan Total, TimeSpan Longest, int Count) Judging { get; private set; }

    /// <summary>
    /// Sends <paramref name="perMinute"/> requests a minute and judges the release after each minute, until it is no
    /// longer active or <paramref name="limit"/> has passed; returns the release as it ended.
    /// </summary>
    public async Task<Release> RunAsync(ReleaseController releases, string model, int perMinute, TimeSpan limit)
    {
        var end = time.GetUtcNow() + limit;
        var ct = CancellationToken.None;
        while (true)
        {
            var deployment = await ws.Deployments.GetAsync(model, ct);
            var champion = (await ws.Store.Models.GetAliasAsync(model, ModelRegistry.Champion, ct))!.Version;
            var start = time.GetUtcNow();
            var records = new List<PredictionRecord>();
            for (var i = 0; i < perMinute; i++)
            {
                var row = data.Rows[_next++ % data.Rows.Count];
                var id = $"{ids}-{_next}"; // the same ids each time: the same routing
                var at = start + TimeSpan.FromMinutes(1) * i / perMinute;
                var route = PredictionService.Route(deployment, id);
                records.Add(await ScoreAsync(model, route == Deployment.CanaryRoute ? deployment.Canary!.Value : champion, route, id, row, at));
                if (deployment.Shadow is { } shadow)
                    records.Add(await ScoreAsync(model, shadow, Deployment.ShadowRoute, id + Deployment.ShadowIdSuffix, row, at));
                if (_next % FeedbackEvery == 0)
                    _feedback.Add((at + FeedbackLag, new Feedback(id, row[data.IndexOf(label)]!)));
            }
            Requests += perMinute;
            await ws.Store.Predictions.AddAsync(records, ct);
            time.Advance(TimeSpan.FromMinutes(1));
            var due = _feedback.Where(f => f.Due <= time.GetUtcNow()).ToList();
            if (due.Count > 0)
            {
                await ws.Store.Predictions.AddFeedbackAsync(due.Select(f => f.Feedback).ToList(), ct);
                _feedback.RemoveAll(f => f.Due <= time.GetUtcNow());
            }
            var judging = Stopwatch.GetTimestamp();
            var release = (await releases.TickAsync(model, ct))!;
            var took = Stopwatch.GetElapsedTime(judging);
            Judging = (Judging.Total + took, took > Judging.Longest ? took : Judging.Longest, Judging.Count + 1);
            if (!release.Active || time.GetUtcNow() >= end)
                return release;
        }
    }

    private async Task<PredictionRecord> ScoreAsync(string model, int version, string route, string id, string?[] row, DateTimeOffset at)
    {
        var served = await ModelAsync(model, version);
        var features = data.Columns.Where(c => c != label).ToList();
        var cells = features.Select(f => row[data.IndexOf(f)]).ToArray();
        var predictions = served.Predict(new Table(features, [cells]));
        var latency = 0.05 + 0.1 * _latency.NextDouble() + Delay.GetValueOrDefault(version); // 0.05–0.15 ms, about what scoring one row takes
        return new PredictionRecord(id, at, model, version, route, FeatureRow.Of(features.Zip(cells).ToDictionary(p => p.First, p => p.Second)),
            predictions.Values[0], predictions.Score(0, served.Model.Layout.Classes), latency);
    }

    private async Task<ServedModel> ModelAsync(string model, int version)
    {
        if (!_models.TryGetValue(version, out var served))
        {
            _models[version] = served = await ws.Models.LoadAsync(new ModelReference(model, version, null), CancellationToken.None);
            served.WarmUp();
        }
        return served;
    }

    public void Dispose()
    {
        foreach (var served in _models.Values)
            served.Dispose();
    }
}
