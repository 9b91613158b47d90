using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// The Jensen–Shannon distance between the binned distributions (<see cref="Bins"/>), in base 2 so it lies in [0, 1]:
/// √(½ KL(p ‖ m) + ½ KL(q ‖ m)) with m = ½ (p + q), as scipy.spatial.distance.jensenshannon(p, q, base=2). Empty bins
/// need no floor (0 · log 0 = 0).
/// </summary>
public sealed class JensenShannon : BinnedDistance
{
    public override StatisticDescriptor Descriptor { get; } = new("jensen_shannon", [ColumnType.Numeric, ColumnType.Integer, ColumnType.Boolean, ColumnType.Categorical], false, 0.1,
        "Evidently's default for jensenshannon (0.1); Evidently takes the natural log, so Tend's 0.1 in base 2 is a little stricter (0.1 in base e is 0.12 in base 2)");

    protected override double Between(double[] p, double[] q) => Distance(p, q);

    public static double Distance(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        double divergence = 0;
        for (var i = 0; i < p.Count; i++)
        {
            var m = (p[i] + q[i]) / 2;
            divergence += Term(p[i], m) + Term(q[i], m);
        }
        return Math.Sqrt(Math.Max(0, divergence / 2));
    }

    private static double Term(double share, double mixture) => share > 0 ? share * Math.Log2(share / mixture) : 0;
}
