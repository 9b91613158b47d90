using Tend.Core.Spec;
using Tend.Evaluation.Explanation;
using Tend.Evaluation.Fairness;
using Tend.Evaluation.Gates;
using Tend.Evaluation.Metrics;
using Tend.Evaluation.Reports;
using Tend.Evaluation.Slicing;
using Tend.Evaluation.Uncertainty;

namespace Tend.Evaluation;

/// <summary>
/// Everything an evaluation found about one model on rows it never trained on. <see cref="Metrics"/> carries the same
/// keys <c>train</c> logs (binary threshold metrics at 0.5, the labels the model serves); <see cref="Threshold"/> is the
/// operating point the spec's rule chose, with its confusion matrix. Task-specific parts are null for other tasks.
/// </summary>
public sealed record EvaluationReport(
    string Subject,
    string RunId,
    string Data,
    int Rows,
    string RowsNote,
    MlTask Task,
    string Metric,
    IReadOnlyDictionary<string, double> Metrics,
    Interval Interval,
    OperatingPoint? Threshold,
    BinaryCurves? Curves,
    IReadOnlyList<string>? Classes,
    long[][]? ConfusionMatrix,
    IReadOnlyList<ClassMetrics>? PerClass,
    Residuals? Residuals,
    int? MapeSkippedZeroLabels,
    IReadOnlyList<SliceResult> Slices,
    IReadOnlyDictionary<string, FairnessResult> Fairness,
    IReadOnlyList<FeatureImportance> Importance,
    ChampionComparison? Champion,
    Latency Latency,
    long ModelBytes,
    IReadOnlyList<GateResult> Gates)
{
    public bool Passed => Gates.All(g => g.Passed);

    public string Verdict => Passed ? "all gates passed" : string.Join("; ", Gates.Where(g => !g.Passed).Select(g => g.Reason));
}
