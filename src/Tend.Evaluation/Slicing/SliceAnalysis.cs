using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Evaluation.Slicing;

/// <summary>The model's metrics on one slice of the evaluation rows.</summary>
public sealed record SliceResult(string Column, string Slice, int Rows, double Value, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Metrics per value of each categorical or boolean feature and per quantile bin of each numeric one, for slices of at
/// least the minimum support, worst first by the primary metric (a slice where it is undefined, e.g. one class only, last).
/// </summary>
public static class SliceAnalysis
{
    public static IReadOnlyList<SliceResult> Compute(Table table, ScoredRows scored, FeatureLayout layout, string metric, EvaluationSpec spec)
    {
        var columns = layout.Numeric.Select(c => (c, true)).Concat(layout.Categorical.Concat(layout.Boolean).Select(c => (c, false)));
        var slices = columns.AsParallel().AsOrdered().SelectMany(column =>
            RowGroups.By(table, column.c, column.Item2, spec.SliceBins).Where(g => g.Rows.Length >= spec.MinSliceRows).Select(g =>
            {
                var metrics = scored.Subset(g.Rows).Metrics();
                return new SliceResult(column.c, g.Name, g.Rows.Length, metrics[metric], metrics);
            })).ToList();
        var higherIsBetter = Core.Spec.Metrics.HigherIsBetter(metric);
        return slices.OrderBy(s => double.IsNaN(s.Value) ? 1 : 0)
            .ThenBy(s => higherIsBetter ? s.Value : -s.Value).ThenBy(s => s.Column, StringComparer.Ordinal).ThenBy(s => s.Slice, StringComparer.Ordinal).ToList();
    }
}
