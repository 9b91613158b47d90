using Tend.Data.Tabular;
using Tend.Training.Models;

namespace Tend.Evaluation.Explanation;

/// <summary>How much the primary metric worsens when one feature's values are shuffled across the rows: the mean over the repeats and its standard deviation.</summary>
public sealed record FeatureImportance(string Feature, double Importance, double Std);

/// <summary>
/// Permutation feature importance (Breiman, 2001; scikit-learn's permutation_importance) on the raw input columns, so
/// a one-hot or hashed column counts once: each feature is shuffled <see cref="Repeats"/> times with a seeded generator
/// and the data scored again. Positive means the model relies on the feature; near zero, it does not.
/// </summary>
public static class PermutationImportance
{
    /// <summary>5 shuffles per feature, scikit-learn's n_repeats default.</summary>
    public const int Repeats = 5;

    /// <param name="baseline">The metric on the rows as they are (the caller has scored them already).</param>
    public static IReadOnlyList<FeatureImportance> Compute(IPredictor model, Table table, string metric, double baseline, int seed)
    {
        var sign = Core.Spec.Metrics.HigherIsBetter(metric) ? 1 : -1;
        return model.Layout.Features.AsParallel().AsOrdered().Select((feature, f) =>
        {
            var column = table.IndexOf(feature);
            var random = new Random(seed + f);
            var drops = Enumerable.Range(0, Repeats).Select(_ =>
            {
                var shuffled = Shuffled(table, column, random);
                return sign * (baseline - ScoredRows.Of(model, shuffled).Metrics()[metric]);
            }).ToList();
            var mean = drops.Average();
            return new FeatureImportance(feature, mean, Math.Sqrt(drops.Average(d => (d - mean) * (d - mean))));
        }).OrderByDescending(i => i.Importance).ToList();
    }

    private static Table Shuffled(Table table, int column, Random random)
    {
        var values = table.Rows.Select(r => r[column]).ToArray();
        random.Shuffle(values);
        return new Table(table.Columns, table.Rows.Select((row, i) =>
        {
            var copy = (string?[])row.Clone();
            copy[column] = values[i];
            return copy;
        }).ToList());
    }
}
