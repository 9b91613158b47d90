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

    public static double Normed(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var distance = Distance(reference, current);
        var mean = reference.Average();
        var sd = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / reference.Count);
        return sd > 0 ? distance / sd : distance == 0 ? 0 : double.PositiveInfinity;
    }

    /// <summary>The area between the two empirical distribution functions, walked over the pooled sorted values.</summary>
    public static double Distance(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var a = reference.Order().ToArray();
        var b = current.Order().ToArray();
        int i = 0, j = 0;
        double area = 0, x = Math.Min(a[0], b[0]);
        while (i < a.Length || j < b.Length)
        {
            var next = j == b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            area += Math.Abs((double)i / a.Length - (double)j / b.Length) * (next - x);
            x = next;
            while (i < a.Length && a[i] == x) i++;
            while (j < b.Length && b[j] == x) j++;
        }
        return area;
    }
}
