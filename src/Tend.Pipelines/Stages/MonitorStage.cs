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

/// <summary>Compares the served traffic of a window with the champion's training data, and scores it where feedback came back.</summary>
public static class MonitorStage
{
    public static async Task<MonitorReport> RunAsync(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var name = ws.Spec.Name;
        var champion = await ws.Registry.ResolveAsync(new ModelReference(name, null, null), ct);
        var model = await ModelPackage.LoadAsync(ws.Artifacts, champion, ct);
        var layout = model.Layout;
        var dataset = await ws.Datasets.GetAsync(ModelImport.DataOf(champion.Dataset, ws), ct);
        // The traffic the model answered: not the shadow's copies, not the rejected requests.
        var records = (await ws.Store.Predictions.ListAsync(name, from, to, ct)).Where(r => r.Error is null && r.Route != Deployment.ShadowRoute).ToList();
        if (records.Count == 0)
            throw TendException.NotFound($"no predictions of model '{name}' were logged{Window(from, to)}; serve traffic first ('tend serve')");

        var columns = layout.Features.ToList();
        var current = new Table(columns, records.Select(r => columns.Select(c => r.Features.GetValueOrDefault(c)).ToArray()).ToList());
        var features = layout.Numeric.Select(c => (c, ColumnType.Numeric))
            .Concat(layout.Boolean.Select(c => (c, ColumnType.Boolean)))
            .Concat(layout.Categorical.Select(c => (c, ColumnType.Categorical)));
        // The reference side comes from the profile stored at ingest: the training data is not scanned again.
        var profile = await ws.Datasets.LoadProfileAsync(dataset, ct);
        var drift = DriftAnalysis.Compare(DriftAnalysis.Of(profile), DriftAnalysis.Of(current), features, ws.Spec.Monitor);
        var share = drift.Count == 0 ? 0 : (double)drift.Count(f => f.Drifted) / drift.Count;
        var report = new MonitorReport(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, name, dataset.Reference, dataset.Rows, records.Count,
            records[0].Time, records[^1].Time, share >= ws.Spec.Monitor.DriftShare, share, drift, Performance(records, layout),
            await PredictionDriftAsync(ws, champion, records, layout.Task, ct));
        await ws.Store.Monitors.AddAsync(report, ct);
        return report;
    }

    /// <summary>
    /// Did what the model says change? The served predictions against the champion's own predictions on its training
    /// data, profiled when its run finished: the predicted class by chi-square for classification, the predicted value
    /// by the numeric statistic for regression.
    /// </summary>
    private static async Task<FeatureDrift?> PredictionDriftAsync(Workspace ws, ModelVersion champion, IReadOnlyList<PredictionRecord> records, MlTask task, CancellationToken ct)
    {
        var run = await ws.GetRunAsync(champion.RunId, ct);
        if (!run.Artifacts.TryGetValue(PredictionProfile.ArtifactKey, out var path))
            throw TendException.NotFound($"run {run.Id} of champion v{champion.Version} has no profile of its predictions; retrain to monitor prediction drift");
        var reference = await ws.Artifacts.ReadAsync<DataProfile>(path, ct);
        var served = new Table([PredictionProfile.Column], records.Select(r => new string?[] { r.Prediction }).ToList());
        return DriftAnalysis.Compare(DriftAnalysis.Of(reference), DriftAnalysis.Of(served), [(PredictionProfile.Column, PredictionProfile.TypeFor(task))], ws.Spec.Monitor).SingleOrDefault();
    }

    /// <summary>Accuracy for classification, mean absolute error for regression, on the rows whose ground truth came back.</summary>
    private static LivePerformance? Performance(IReadOnlyList<PredictionRecord> records, FeatureLayout layout)
    {
        var labelled = records.Where(r => r.Feedback is not null).ToList();
        if (labelled.Count == 0)
            return null;
        if (layout.Task != MlTask.Regression)
            return new LivePerformance(labelled.Count, "accuracy", labelled.Count(r => r.Prediction == r.Feedback) / (double)labelled.Count);
        var errors = labelled.Select(r => Cells.TryNumber(r.Feedback, out var truth) && Cells.TryNumber(r.Prediction, out var predicted) ? Math.Abs(truth - predicted) : double.NaN)
            .Where(double.IsFinite).ToList();
        return errors.Count == 0 ? null : new LivePerformance(errors.Count, "mae", errors.Average());
    }

    private static string Window(DateTimeOffset? from, DateTimeOffset? to) =>
        from is null && to is null ? "" : $" between {from?.ToString("O") ?? "the start"} and {to?.ToString("O") ?? "now"}";
}
