using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp with its default method: the p-value is
/// exact when neither sample has more than <see cref="MaxExactSize"/> values, and asymptotic above that.
/// </summary>
public sealed class KolmogorovSmirnov : HypothesisTest
{
    /// <summary>Up to this sample size the exact distribution is computed, as scipy's method="auto" does.</summary>
    public const int MaxExactSize = 10_000;

    public override StatisticDescriptor Descriptor { get; } = new("ks", [ColumnType.Numeric, ColumnType.Integer], true, Significance.Level, Significance.Source);

    protected override (double Statistic, double PValue) Test(ColumnSample reference, ColumnSample current) =>
        Compute(reference.Numbers!, current.Numbers!);

    public static (double Statistic, double PValue) Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current) =>
        Compute(ColumnSample.Of(reference).Numbers!, ColumnSample.Of(current).Numbers!);

    /// <summary>
    /// D = the largest gap between the two empirical distribution functions, over the pooled distinct values. A side
    /// summarized by a quantile sketch moves D by at most its rank error (<see cref="ColumnSample.RankError"/>); such a
    /// side has over 10,000 values, so its p-value is the asymptotic one.
    /// </summary>
    public static (double Statistic, double PValue) Compute(Distribution reference, Distribution current)
    {
        double d = 0;
        foreach (var (_, a, b) in Weighted.Steps(reference, current))
            d = Math.Max(d, Math.Abs(a - b));
        long m = Weighted.Total(reference), n = Weighted.Total(current);
        if (Math.Max(m, n) <= MaxExactSize)
            return (d, ExactPValue((int)m, (int)n, d));
        var en = (double)m * n / (m + n);
        return (d, SpecialFunctions.KolmogorovSurvival(Math.Sqrt(en) * d));
    }

    /// <summary>
    /// P(D ≥ d) under the null hypothesis, by counting lattice paths (Hodges 1958, the "inside" method): a path from
    /// (0, 0) to (m, n) is one ordering of the pooled sample, all equally likely, and D ≥ d exactly when the path
    /// touches a point where |x/m − y/n| ≥ d. Each point keeps the share of paths reaching it that have already left
    /// that band, which is a weighted mean of its two predecessors' shares (Viehmann 2021); the result is the share at (m, n).
    /// </summary>
    public static double ExactPValue(int m, int n, double d)
    {
        long g = Gcd(m, n), mg = m / g, ng = n / g;
        // In lattice units the band is |ng·x − mg·y| < h, with d rounded to the nearest attainable value h / lcm(m, n).
        var h = (long)Math.Round(d * mg * n);
        if (h == 0)
            return 1;
        var left = new double[n + 1];
        Array.Fill(left, 1.0);
        int previousLow = 0;
        for (long x = 0; x <= m; x++)
        {
            // The y inside the band at this x: ng·x − h < mg·y < ng·x + h.
            var low = (int)Math.Max(0, FloorDiv(ng * x - h, mg) + 1);
            var high = (int)Math.Min(n, CeilDiv(ng * x + h, mg) - 1);
            if (low > high)
                return 1;
            for (var y = previousLow; y < low; y++)
                left[y] = 1; // fell out of the band: every path through it has left
            for (var y = low; y <= high; y++)
            {
                if (x == 0 && y == 0) { left[0] = 0; continue; }
                var fromLeft = x == 0 ? 0 : x * left[y];
                var fromBelow = y == 0 ? 0 : y * left[y - 1];
                left[y] = (fromLeft + fromBelow) / (x + y);
            }
            previousLow = low;
        }
        return Math.Clamp(left[n], 0, 1);
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
