using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// The Wasserstein-1 (earth mover's) distance between the two samples, ∫ |F_ref(x) − F_cur(x)| dx as
/// scipy.stats.wasserstein_distance, divided by the reference's standard deviation (population, ddof = 0) so it reads in
/// reference standard deviations whatever the column's unit. A constant reference gives 0 when the current is the
/// same constant, else infinity.
/// </summary>
public sealed class Wasserstein : IDriftStatistic
{
    public StatisticDescriptor Descriptor { get; } = new("wasserstein", [ColumnType.Numeric, ColumnType.Integer], false, 0.1,
        "Evidently's default for its normed Wasserstein distance: a shift of a tenth of the reference's standard deviation");

    public DriftScore Score(ColumnSample reference, ColumnSample current) => new(Normed(reference.Numbers!, current.Numbers!));

    public static double Normed(IReadOnlyList<double> reference, IReadOnlyList<double> current) =>
        Normed(ColumnSample.Of(reference).Numbers!, ColumnSample.Of(current).Numbers!);

    public static double Distance(IReadOnlyList<double> reference, IReadOnlyList<double> current) =>
        Distance(ColumnSample.Of(reference).Numbers!, ColumnSample.Of(current).Numbers!);

    public static double Normed(Distribution reference, Distribution current)
    {
        var distance = Distance(reference, current);
        var sd = Weighted.Moments(reference).Sd;
        return sd > 0 ? distance / sd : distance == 0 ? 0 : double.PositiveInfinity;
    }

    /// <summary>
    /// The area between the two empirical distribution functions, step by step over the pooled distinct values. A
    /// side summarized by a quantile sketch moves it by at most its rank error times the range of the values.
    /// </summary>
    public static double Distance(Distribution reference, Distribution current)
    {
        double area = 0, x = double.NaN, gap = 0;
        foreach (var (next, a, b) in Weighted.Steps(reference, current))
        {
            if (!double.IsNaN(x))
                area += gap * (next - x);
            (x, gap) = (next, Math.Abs(a - b));
        }
        return area;
    }
}
