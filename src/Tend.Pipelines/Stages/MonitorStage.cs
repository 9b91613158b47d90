using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;
using Tend.Registry;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// What <c>tend monitor run</c> compares. <see cref="Reference"/>: a file or a dataset version (default: the champion's
/// training data, read from its stored profile). <see cref="Current"/>: a file, a dataset version, or a window of the
/// prediction log: <c>last:24h</c> (also <c>s</c>, <c>m</c>, <c>d</c>), <c>last:5000</c> (rows), or by default the
/// predictions between <see cref="From"/> and <see cref="To"/>. <see cref="Statistic"/> decides for every column it
/// applies to.
/// </summary>
public sealed record MonitorRequest(string? Reference = null, string? Current = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Statistic = null);

/// <summary>What a monitor run stored, and the alerts its report fired.</summary>
public sealed record MonitorRun(MonitorReport Report, IReadOnlyList<Alert> Alerts);

/// <summary>
/// Compares a current window with a reference, feature by feature and for the model's output, judges the dataset
/// (<see cref="DatasetDrift"/>), scores served traffic where feedback came back, and stores the report.
/// </summary>
public static class MonitorStage
{
    public static Task<MonitorReport> RunAsync(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        RunAsync(ws, new MonitorRequest(From: from, To: to), ct);

    /// <summary>Runs the monitor, then checks tend.yaml's alert rules against its report (<paramref name="log"/>: what the alerts did).</summary>
    public static async Task<MonitorRun> RunAndAlertAsync(Workspace ws, MonitorRequest request, Action<string> log, CancellationToken ct)
    {
        var report = await RunAsync(ws, request, ct);
        return new MonitorRun(report, await AlertStage.CheckAsync(ws, report, log, ct));
    }

    public static async Task<MonitorReport> RunAsync(Workspace ws, MonitorRequest request, CancellationToken ct)
    {
        var settings = request.Statistic is { } forced ? ws.Spec.Monitor with { Statistic = DriftStatistics.Named(forced).Descriptor.Name } : ws.Spec.Monitor;
        var champion = await ws.ChampionAsync(ct);
        using var loaded = champion is null ? null : await ws.Models.LoadAsync(champion, ct);
        var model = loaded?.Model;
        var features = Chosen(await FeaturesAsync(ws, model, ct), ws.Spec.Monitor.Columns);
        // Two files are read at once, each streaming on its own thread.
        var (referenceRead, currentRead) = (MonitorWindows.ReferenceAsync(ws, request.Reference, champion, model, features, ct), MonitorWindows.CurrentAsync(ws, request, model, features, ct));
        await Task.WhenAll(referenceRead, currentRead); // both end before either's error is told (the reference's first), so no read outlives the command
        var (reference, current) = (await referenceRead, await currentRead);

        var drift = DriftAnalysis.Compare(reference.Columns, current.Columns, features, settings);
        if (drift.Count == 0)
            throw TendException.InvalidData($"no feature of '{ws.Spec.Name}' has values in both {reference.Name} and {current.Name}, so there is nothing to compare. " +
                $"The features: {string.Join(", ", features.Select(f => f.Name))}. {reference.Name} has {Listed(reference.ColumnNames)}; {current.Name} has {Listed(current.ColumnNames)}.");
        var prediction = reference.Predictions is { } p && current.Predictions is { } q && model is not null
            ? DriftAnalysis.Compare(p, q, [(PredictionProfile.Column, PredictionProfile.TypeFor(model.Layout.Task))], settings).SingleOrDefault()
            : null;
        if (prediction is not null && (reference.Scored ?? current.Scored) is not null) // a file's predictions are of a sample of its rows
            prediction = prediction with
            {
                Details = new Dictionary<string, double>(prediction.Details)
                {
                    ["reference_scored_rows"] = reference.Scored ?? reference.Rows,
                    ["scored_rows"] = current.Scored ?? current.Rows,
                }
            };
        var verdict = DatasetDrift.Judge(drift, prediction, settings);
        var served = current.Served is { } traffic && model is not null ? await ServedAsync(ws, traffic, reference, champion!, model.Layout, settings, ct) : default;
        var report = new MonitorReport(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, ws.Spec.Name, reference.Name, reference.Rows, current.Name, current.Rows,
            current.Span?.Oldest, current.Span?.Newest, verdict.Drifted, verdict.Rule, verdict.Share, verdict.Features,
            served.Live, verdict.Prediction, served.Labels, served.Estimate, current.Quality, served.Fairness);
        await ws.Store.Monitors.AddAsync(report, ct);
        return report;
    }

    /// <summary>
    /// What only served traffic tells: the live metric against the evaluated one, the drift of the labels that came
    /// back against the reference's, the performance expected without labels, and fairness per protected group.
    /// </summary>
    private static async Task<(LivePerformance? Live, FeatureDrift? Labels, PerformanceEstimate? Estimate, IReadOnlyList<LiveFairness>? Fairness)> ServedAsync(
        Workspace ws, ServedTraffic served, MonitorWindow reference, ModelVersion champion, FeatureLayout layout, MonitorSpec settings, CancellationToken ct)
    {
        var evaluation = (await ws.Store.Evaluations.ListAsync(champion.RunId, ct)).MaxBy(e => e.Created)?.Metrics;
        var labelDrift = served.Labels is not { } labels ? null
            : DriftAnalysis.Compare(reference.Columns, labels, [(layout.Label, PredictionProfile.TypeFor(layout.Task))], settings).SingleOrDefault();
        return (MonitorPerformance.Live(served.Labelled, layout, ws.Spec.Metric.Name, evaluation), labelDrift, served.Estimate(), served.Fairness());
    }


    private static string Listed(IReadOnlyList<string> columns) => columns.Count == 0 ? "no columns" : string.Join(", ", columns.Take(30)) + (columns.Count > 30 ? $" and {columns.Count - 30} more" : "");

    /// <summary>The columns tend.yaml's <c>monitor.columns</c> names, in its order; each must be one of the features.</summary>
    private static List<(string Name, ColumnType Type)> Chosen(List<(string Name, ColumnType Type)> features, IReadOnlyList<string>? columns)
    {
        if (columns is null)
            return features;
        var unknown = columns.Where(c => features.All(f => f.Name != c)).ToList();
        if (unknown.Count > 0)
            throw TendException.BadUsage($"tend.yaml: monitor.columns names {string.Join(", ", unknown.Select(c => $"'{c}'"))}, not monitored features; they are: {string.Join(", ", features.Select(f => f.Name))}");
        return columns.Select(c => features.First(f => f.Name == c)).ToList();
    }

    /// <summary>The champion's inputs by type; without a champion, the newest dataset's columns other than the label.</summary>
    private static async Task<List<(string Name, ColumnType Type)>> FeaturesAsync(Workspace ws, IPredictor? model, CancellationToken ct)
    {
        if (model is not null)
        {
            var layout = model.Layout;
            return [.. layout.Numeric.Select(c => (c, ColumnType.Numeric)), .. layout.Boolean.Select(c => (c, ColumnType.Boolean)),
                .. layout.Categorical.Select(c => (c, ColumnType.Categorical))];
        }
        var newest = await ws.Datasets.GetAsync(ws.Spec.Name, ct);
        return newest.Schema.Columns.Where(c => c.Name != ws.Spec.Label && c.Type is not (ColumnType.Text or ColumnType.DateTime)).Select(c => (c.Name, c.Type)).ToList();
    }
}
