using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>Chi-square test of homogeneity on the 2 × K table of category counts (reference row, current row), as scipy.stats.chi2_contingency(table, correction=False).</summary>
public sealed class ChiSquare : HypothesisTest
{
    public override StatisticDescriptor Descriptor { get; } = new("chi_square", [ColumnType.Categorical], true, Significance.Level, Significance.Source);

    protected override (double Statistic, double PValue) Test(ColumnSample reference, ColumnSample current) =>
        Compute(reference.Categories!, current.Categories!);

    public static (double Statistic, double PValue) Compute(IReadOnlyList<string> reference, IReadOnlyList<string> current) =>
        Compute(ColumnSample.Of(reference).Categories!, ColumnSample.Of(current).Categories!);

    public static (double Statistic, double PValue) Compute(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current)
    {
        var categories = reference.Keys.Union(current.Keys).ToList();
        double referenceTotal = reference.Values.Sum(), currentTotal = current.Values.Sum();
        if (categories.Count < 2 || referenceTotal == 0 || currentTotal == 0)
            return (0, 1);
        double total = referenceTotal + currentTotal, statistic = 0;
        foreach (var category in categories)
        {
            var column = reference.GetValueOrDefault(category) + current.GetValueOrDefault(category);
            foreach (var (observed, rowTotal) in new[] { (reference.GetValueOrDefault(category), referenceTotal), (current.GetValueOrDefault(category), currentTotal) })
            {
                var expected = rowTotal * column / total;
                statistic += (observed - expected) * (observed - expected) / expected;
            }
        }
        return (statistic, SpecialFunctions.ChiSquareSurvival(statistic, categories.Count - 1));
    }
}
