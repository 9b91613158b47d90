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
    /// (regression), on the requests whose label came back (<see cref="Outcome"/>s; a multiclass one only with a label
    /// among the model's classes). A multiclass record keeps only its predicted class's probability, so its live
    /// metrics are those of the predicted classes (micro and macro accuracy, macro F1).
    /// </summary>
    public static LivePerformance? Live(IReadOnlyList<Outcome> labelled, FeatureLayout layout, string projectMetric, IReadOnlyDictionary<string, double>? evaluation)
    {
        if (labelled.Count == 0 || Scored(labelled, layout) is not { } rows)
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

    /// <summary>
    /// A request whose label came back, as two numbers: binary, whether it was positive and the score (NaN: none
    /// logged); multiclass, the label's class (a label the model was not trained on is invalid data) and the
    /// prediction's (-1: none of them); regression, the label and the prediction (NaN: not a number).
    /// </summary>
    public readonly record struct Outcome(double Truth, double Predicted)
    {
        public static Outcome Of(PredictionRecord labelled, FeatureLayout layout) => layout.Task switch
        {
            MlTask.Binary => new(labelled.Feedback == layout.PositiveClass ? 1 : 0, labelled.Score ?? double.NaN),
            MlTask.Multiclass => new(ScoredRows.ClassOf(layout.Classes, labelled.Feedback!), IndexOf(layout.Classes, labelled.Prediction)),
            _ => new(Number(labelled.Feedback), Number(labelled.Prediction)),
        };

        private static int IndexOf(IReadOnlyList<string> classes, string label)
        {
            for (var i = 0; i < classes.Count; i++)
                if (classes[i] == label)
                    return i;
            return -1;
        }

        private static double Number(string? cell) => Cells.TryNumber(cell, out var value) ? value : double.NaN;
    }

    /// <summary>The labelled requests as the metrics read them; null when a binary one has no score, or no regression pair is of numbers.</summary>
    internal static ScoredRows? Scored(IReadOnlyList<Outcome> labelled, FeatureLayout layout)
    {
        switch (layout.Task)
        {
            case MlTask.Binary:
                return labelled.Any(o => double.IsNaN(o.Predicted)) ? null
                    : ScoredRows.Binary(labelled.Select(o => o.Truth == 1).ToArray(), labelled.Select(o => o.Predicted).ToArray());
            case MlTask.Multiclass:
                var classes = layout.Classes;
                return ScoredRows.Multiclass(classes, labelled.Select(o => (int)o.Truth).ToArray(),
                    labelled.Select(o => classes.Select((_, c) => c == o.Predicted ? 1.0 : 0.0).ToArray()).ToArray());
            default:
                var pairs = labelled.Where(o => double.IsFinite(o.Truth) && double.IsFinite(o.Predicted)).ToList();
                return pairs.Count == 0 ? null : ScoredRows.Regression(pairs.Select(p => p.Truth).ToArray(), pairs.Select(p => p.Predicted).ToArray());
        }
    }

    /// <summary>The labelled records as the metrics read them (<see cref="Scored(IReadOnlyList{Outcome}, FeatureLayout)"/>).</summary>
    internal static ScoredRows? Scored(IReadOnlyList<PredictionRecord> labelled, FeatureLayout layout) =>
        Scored(labelled.Select(r => Outcome.Of(r, layout)).ToList(), layout);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
