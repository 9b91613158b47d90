using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Profiling;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// Population stability index over 10 quantile bins of the reference: inner edges at its 10 %, …, 90 % quantiles
/// (numpy's linear interpolation), duplicates merged, outer bins open, bins right-closed; shares floored at 1e-4;
/// PSI = Σ (q − p) ln(q / p). The same definition as the Python baseline's drift_scipy.py.
/// </summary>
public sealed class Psi : IDriftStatistic
{
    public const int Bins = 10;
    /// <summary>Keeps ln(q/p) finite for empty bins; the common choice in scorecard practice and in the baseline script.</summary>
    public const double ShareFloor = 1e-4;

    public string Name => "psi";

    public bool AppliesTo(ColumnType type) => type.IsNumber() || type == ColumnType.Boolean;

    public DriftScore Score(ColumnSample reference, ColumnSample current) => new(Compute(reference.Numbers!, current.Numbers!));

    public (double Threshold, bool Drifted) Judge(DriftScore score, MonitorSpec settings) =>
        (settings.PsiThreshold, score.Value >= settings.PsiThreshold);

    public static double Compute(IReadOnlyList<double> reference, IReadOnlyList<double> current)
    {
        var sorted = reference.Order().ToArray();
        var edges = Enumerable.Range(1, Bins - 1).Select(i => Quantiles.Of(sorted, i / (double)Bins)).Distinct().ToArray();
        var p = Shares(reference, edges);
        var q = Shares(current, edges);
        double psi = 0;
        for (var i = 0; i < p.Length; i++)
            psi += (q[i] - p[i]) * Math.Log(q[i] / p[i]);
        return psi;
    }

    private static double[] Shares(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new int[edges.Length + 1];
        foreach (var v in values)
        {
            // The first edge at or above v: numpy.searchsorted(edges, v, side="left").
            var index = Array.BinarySearch(edges, v);
            if (index < 0) index = ~index;
            else while (index > 0 && edges[index - 1] == v) index--;
            counts[index]++;
        }
        return counts.Select(c => Math.Max((double)c / values.Count, ShareFloor)).ToArray();
    }
}
