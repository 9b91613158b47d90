using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>Chi-square test of homogeneity on the 2 × K table of category counts (reference row, current row), as scipy.stats.chi2_contingency(table, correction=False).</summary>
public sealed class ChiSquare : HypothesisTest
{
    public override StatisticDescriptor Descriptor { get; } = new("chi_square", [ColumnType.Categorical], true, Significance.Level, Significance.Source);

    protected override (double Statistic, double PValue) Test(ColumnSample reference, ColumnSample current) =>
        Compute(reference.Categories!, current.Categories!);

    public static (double Statistic, double PValue) Compute(IReadOnlyList<string> reference, IReadOnlyList<string> current)
    {
        var referenceCounts = reference.CountBy(v => v).ToDictionary();
        var currentCounts = current.CountBy(v => v).ToDictionary();
        var categories = referenceCounts.Keys.Union(currentCounts.Keys).ToList();
        if (categories.Count < 2 || reference.Count == 0 || current.Count == 0)
            return (0, 1);
        double total = reference.Count + current.Count, statistic = 0;
        foreach (var category in categories)
        {
            var column = referenceCounts.GetValueOrDefault(category) + currentCounts.GetValueOrDefault(category);
            foreach (var (observed, rowTotal) in new[] { (referenceCounts.GetValueOrDefault(category), reference.Count), (currentCounts.GetValueOrDefault(category), current.Count) })
            {
                var expected = rowTotal * column / total;
                statistic += (observed - expected) * (observed - expected) / expected;
            }
        }
        return (statistic, SpecialFunctions.ChiSquareSurvival(statistic, categories.Count - 1));
    }
}
