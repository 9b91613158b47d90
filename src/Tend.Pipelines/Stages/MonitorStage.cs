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
        var model = await TrainedModel.LoadAsync(ws.Artifacts, champion.Artifact, ct);
        var layout = model.Layout;
        var dataset = await ws.Datasets.GetAsync(champion.Dataset, ct);
        var reference = await ws.Datasets.LoadAsync(dataset, ct);
        var records = await ws.Store.Predictions.ListAsync(name, from, to, ct);
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
        var report = new MonitorReport(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, name, dataset.Reference, reference.Rows.Count, records.Count,
            records[0].Time, records[^1].Time, share >= ws.Spec.Monitor.DriftShare, share, drift, Performance(records, layout),
            PredictionDrift(model.Predict(reference).Values, records.Select(r => r.Prediction), layout.Task, ws.Spec.Monitor));
        await ws.Store.Monitors.AddAsync(report, ct);
        return report;
    }

    /// <summary>
    /// Did what the model says change? The served predictions against the champion's own predictions on the reference
    /// data: the predicted class by chi-square for classification, the predicted value by the numeric statistic for regression.
    /// </summary>
    private static FeatureDrift? PredictionDrift(IEnumerable<string> reference, IEnumerable<string> served, MlTask task, MonitorSpec settings)
    {
        const string column = "prediction";
        var type = task == MlTask.Regression ? ColumnType.Numeric : ColumnType.Categorical;
        Table Single(IEnumerable<string> values) => new([column], values.Select(v => new string?[] { v }).ToList());
        return DriftAnalysis.Compare(Single(reference), Single(served), [(column, type)], settings).SingleOrDefault();
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
