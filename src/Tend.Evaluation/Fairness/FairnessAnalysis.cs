using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation.Metrics;
using Tend.Evaluation.Slicing;

namespace Tend.Evaluation.Fairness;

/// <summary>
/// Per-group figures for each protected attribute, groups drawn as slices are (a numeric attribute such as age in quantile
/// bins), judged on the labels the model serves: a binary score at or above 0.5 is positive. Every group is reported;
/// the summary measures compare only groups of at least the minimum support, so a handful of rows cannot swing a gate
/// (fairlearn compares every group: set <c>evaluation.min_slice_rows: 1</c> for its figures).
/// </summary>
public static class FairnessAnalysis
{
    public static IReadOnlyDictionary<string, FairnessResult> Compute(Table table, ScoredRows scored, IEnumerable<string> attributes, Func<string, bool> isNumeric,
        EvaluationSpec spec) =>
        attributes.ToDictionary(a => a, a => Compute(a, RowGroups.By(table, a, isNumeric(a), spec.SliceBins), scored, spec.MinSliceRows));

    public static FairnessResult Compute(string attribute, IReadOnlyList<RowGroup> groups, ScoredRows scored, int minRows)
    {
        var all = groups.Select(g => Figures(g, scored.Subset(g.Rows))).ToList();
        var figures = all.Where(f => f.Rows >= minRows).ToList();
        return scored.Task switch
        {
            MlTask.Binary => new FairnessResult(attribute, all,
                DemographicParityDifference: Gap(figures, f => f.SelectionRate),
                DemographicParityRatio: Ratio(figures, f => f.SelectionRate),
                EqualOpportunityDifference: Gap(figures, f => f.TruePositiveRate),
                EqualizedOddsDifference: Max(Gap(figures, f => f.TruePositiveRate), Gap(figures, f => f.FalsePositiveRate)),
                AccuracyDifference: Gap(figures, f => f.Accuracy)),
            MlTask.Multiclass => new FairnessResult(attribute, all, AccuracyDifference: Gap(figures, f => f.Accuracy)),
            _ => new FairnessResult(attribute, all, MaeDifference: Gap(figures, f => f.MeanAbsoluteError), MeanErrorDifference: Gap(figures, f => f.MeanError)),
        };
    }

    private static GroupFigures Figures(RowGroup group, ScoredRows rows)
    {
        switch (rows.Task)
        {
            case MlTask.Binary:
                var c = ConfusionCounts.At(rows.Positive, rows.Probability, BinaryMetrics.DefaultThreshold);
                var positives = c.TruePositives + c.FalseNegatives;
                var negatives = c.FalsePositives + c.TrueNegatives;
                return new GroupFigures(group.Name, rows.Count, c.SelectionRate, positives == 0 ? null : c.Recall,
                    negatives == 0 ? null : c.FalsePositiveRate, c.TruePositives + c.FalsePositives == 0 ? null : c.Precision, c.Accuracy);
            case MlTask.Multiclass:
                return new GroupFigures(group.Name, rows.Count, Accuracy: rows.Correct().Average(r => r ? 1.0 : 0.0));
            default:
                var errors = rows.Predicted.Select((p, i) => p - rows.Label[i]).ToList();
                return new GroupFigures(group.Name, rows.Count, MeanError: errors.Average(), MeanAbsoluteError: errors.Average(Math.Abs));
        }
    }

    /// <summary>Max − min over the groups where the figure is defined (a group with no positives has no TPR); null with fewer than two.</summary>
    public static double? Gap<T>(IEnumerable<T> groups, Func<T, double?> figure)
    {
        var values = groups.Select(figure).OfType<double>().ToList();
        return values.Count < 2 ? null : values.Max() - values.Min();
    }

    /// <summary>Min / max over the groups where the figure is defined (1 when all are 0); null with fewer than two.</summary>
    public static double? Ratio<T>(IEnumerable<T> groups, Func<T, double?> figure)
    {
        var values = groups.Select(figure).OfType<double>().ToList();
        return values.Count < 2 ? null : values.Max() == 0 ? 1 : values.Min() / values.Max();
    }

    /// <summary>The larger of two gaps, either of which may be undefined.</summary>
    public static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
