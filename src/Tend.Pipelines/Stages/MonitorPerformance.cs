using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Evaluation.Uncertainty;
using Tend.Monitoring.Performance;
using Tend.Training.Features;

namespace Tend.Pipelines.Stages;

/// <summary>
/// How the champion does on served traffic: its metric on the rows whose labels came back, with a bootstrap interval,
/// against its evaluation (concept drift); and, for binary classifiers, the metrics expected from its probabilities on
/// every row, labelled or not.
/// </summary>
internal static class MonitorPerformance
{
    public const int Resamples = 1000;
    public const int Seed = 0;

    /// <summary>
    /// The project's metric where the logged predictions allow it, else accuracy (classification) or MAE
    /// (regression). A multiclass record keeps only its predicted class's probability, so its live metrics are those
    /// of the predicted classes (micro and macro accuracy, macro F1).
    /// </summary>
    public static LivePerformance? Live(IReadOnlyList<PredictionRecord> records, FeatureLayout layout, string projectMetric, IReadOnlyDictionary<string, double>? evaluation)
    {
        var labelled = records.Where(r => r.Feedback is not null && (layout.Task != MlTask.Multiclass || layout.Classes.Contains(r.Feedback))).ToList();
        if (labelled.Count == 0)
            return null;
        var rows = Scored(labelled, layout);
        if (rows is null)
            return null;
        var metrics = rows.Metrics().Where(m => layout.Task != MlTask.Multiclass || m.Key != "log_loss").ToDictionary();
        var metric = MetricOf(metrics, projectMetric, layout.Task);
        var interval = Bootstrap.Of(rows, metric, Resamples, Seed);
        var evaluated = evaluation is not null && evaluation.TryGetValue(metric, out var e) ? e : (double?)null;
        var worse = evaluated is { } v && (Metrics.HigherIsBetter(metric) ? interval.High < v : interval.Low > v);
        return new LivePerformance(rows.Count, metric, metrics[metric], Finite(interval.Low), Finite(interval.High), evaluated, worse, metrics);
    }

    /// <summary>The project's metric when the live rows give it, else accuracy (binary), micro accuracy (multiclass) or MAE (regression).</summary>
    internal static string MetricOf(IReadOnlyDictionary<string, double> metrics, string projectMetric, MlTask task) =>
        metrics.ContainsKey(projectMetric) ? projectMetric : task == MlTask.Regression ? "mae" : task == MlTask.Binary ? "accuracy" : "micro_accuracy";

    /// <summary>Binary classifiers: the expected metrics on every row, and estimate beside realized on the labelled ones.</summary>
    public static PerformanceEstimate? Estimate(IReadOnlyList<PredictionRecord> records, FeatureLayout layout)
    {
        if (layout.Task != MlTask.Binary || records.Any(r => r.Score is null))
            return null;
        List<(bool, double)> Scores(IEnumerable<PredictionRecord> rows) => rows.Select(r => (r.Prediction == layout.PositiveClass, r.Score!.Value)).ToList();
        var labelled = records.Where(r => r.Feedback is not null).ToList();
        var any = labelled.Count > 0;
        return new PerformanceEstimate(records.Count, ConfidenceBasedEstimate.Estimate(Scores(records)), labelled.Count,
            any ? ConfidenceBasedEstimate.Estimate(Scores(labelled)) : null,
            any ? ConfidenceBasedEstimate.Realized(labelled.Select(r => (r.Prediction == layout.PositiveClass, r.Feedback == layout.PositiveClass)).ToList()) : null);
    }

    internal static ScoredRows? Scored(IReadOnlyList<PredictionRecord> labelled, FeatureLayout layout)
    {
        switch (layout.Task)
        {
            case MlTask.Binary:
                return labelled.Any(r => r.Score is null) ? null
                    : ScoredRows.Binary(labelled.Select(r => r.Feedback == layout.PositiveClass).ToArray(), labelled.Select(r => r.Score!.Value).ToArray());
            case MlTask.Multiclass:
                var classes = layout.Classes;
                return ScoredRows.Multiclass(classes, labelled.Select(r => ScoredRows.ClassOf(classes, r.Feedback!)).ToArray(),
                    labelled.Select(r => classes.Select(c => c == r.Prediction ? 1.0 : 0.0).ToArray()).ToArray());
            default:
                var pairs = labelled.Select(r => Cells.TryNumber(r.Feedback, out var truth) && Cells.TryNumber(r.Prediction, out var predicted) ? (truth, predicted) : (double.NaN, double.NaN))
                    .Where(p => double.IsFinite(p.Item1) && double.IsFinite(p.Item2)).ToList();
                return pairs.Count == 0 ? null : ScoredRows.Regression(pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray());
        }
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
