using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// The Hellinger distance between the binned distributions (<see cref="Bins"/>): √(1 − Σ √(p q)), in [0, 1]. SciPy has
/// no function for it; the tests pin numpy's evaluation of the same formula.
/// </summary>
public sealed class Hellinger : BinnedDistance
{
    public override StatisticDescriptor Descriptor { get; } = new("hellinger", [ColumnType.Numeric, ColumnType.Integer, ColumnType.Boolean, ColumnType.Categorical], false, 0.1,
        "Evidently's default for its Hellinger distance");

    protected override double Between(double[] p, double[] q) => Distance(p, q);

    public static double Distance(IReadOnlyList<double> p, IReadOnlyList<double> q)
    {
        double affinity = 0;
        for (var i = 0; i < p.Count; i++)
            affinity += Math.Sqrt(p[i] * q[i]);
        return Math.Sqrt(Math.Max(0, 1 - affinity));
    }
}
