using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// Population stability index over the reference's decile bins (<see cref="Bins"/>): PSI = Σ (q − p) ln(q / p), with
/// each share floored at <see cref="ShareFloor"/> so an empty bin stays finite. The same definition as the Python
/// baseline's drift_scipy.py.
/// </summary>
public sealed class Psi : IDriftStatistic
{
    /// <summary>Keeps ln(q/p) finite for empty bins; the common choice in scorecard practice and in the baseline script.</summary>
    public const double ShareFloor = 1e-4;

    public StatisticDescriptor Descriptor { get; } = new("psi", [ColumnType.Numeric, ColumnType.Integer, ColumnType.Boolean], false, 0.2,
        "PSI ≥ 0.2 is the credit-scoring rule of thumb for a significant shift (Siddiqi, Credit Risk Scorecards, 2006)");

    public DriftScore Score(ColumnSample reference, ColumnSample current) => new(Compute(reference.Numbers!, current.Numbers!));

    public static double Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current) =>
        Compute(ColumnSample.Of(reference).Numbers!, ColumnSample.Of(current).Numbers!);

    public static double Compute(Distribution reference, Distribution current)
    {
        var edges = Bins.Edges(reference);
        var p = Bins.Shares(reference, edges);
        var q = Bins.Shares(current, edges);
        double psi = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var (pi, qi) = (Math.Max(p[i], ShareFloor), Math.Max(q[i], ShareFloor));
            psi += (qi - pi) * Math.Log(qi / pi);
        }
        return psi;
    }
}
