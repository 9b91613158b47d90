using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// The two-proportion z-test for a boolean column, two-sided, with the pooled proportion: z = (p̂_cur − p̂_ref) /
/// √(p̂ (1 − p̂) (1/n_ref + 1/n_cur)), p = P(|Z| ≥ |z|), as statsmodels' proportions_ztest. When both sides hold one
/// value only, nothing can differ: z = 0, p = 1.
/// </summary>
public sealed class ProportionZ : HypothesisTest
{
    public override StatisticDescriptor Descriptor { get; } = new("z", [ColumnType.Boolean], true, Significance.Level, Significance.Source);

    protected override (double Statistic, double PValue) Test(ColumnSample reference, ColumnSample current) =>
        Compute(Trues(reference.Numbers!), reference.Count, Trues(current.Numbers!), current.Count);

    private static long Trues(Distribution d) => d.Values.Select((v, i) => v == 1 ? d.Weights[i] : 0).Sum();

    public static (double Statistic, double PValue) Compute(long referenceTrue, long referenceCount, long currentTrue, long currentCount)
    {
        var pooled = (referenceTrue + currentTrue) / (double)(referenceCount + currentCount);
        var variance = pooled * (1 - pooled) * (1.0 / referenceCount + 1.0 / currentCount);
        if (variance <= 0)
            return (0, 1);
        var z = ((double)currentTrue / currentCount - (double)referenceTrue / referenceCount) / Math.Sqrt(variance);
        return (z, SpecialFunctions.NormalTwoSided(z));
    }
}
