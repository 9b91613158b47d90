using Tend.Core.Spec;

namespace Tend.Evaluation.Uncertainty;

/// <summary>One metric of challenger and champion on the same rows, with the paired-bootstrap interval of challenger − champion.</summary>
public sealed record MetricComparison(string Metric, double Challenger, double Champion, Interval Difference)
{
    /// <summary>The challenger's edge in the better direction: positive when it is better, whichever way the metric points.</summary>
    public double Gain => Core.Spec.Metrics.HigherIsBetter(Metric) ? Difference.Value : -Difference.Value;

    /// <summary>The 95% interval of <see cref="Gain"/>: <see cref="SignificantlyBetter"/> when it lies above 0.</summary>
    public (double Low, double High) GainInterval => Core.Spec.Metrics.HigherIsBetter(Metric) ? (Difference.Low, Difference.High) : (-Difference.High, -Difference.Low);

    /// <summary>Better beyond noise: the whole 95 % interval of the difference lies on the better side of 0.</summary>
    public bool SignificantlyBetter => Core.Spec.Metrics.HigherIsBetter(Metric) ? Difference.Low > 0 : Difference.High < 0;
}

/// <summary>
/// The challenger against the champion version on the same evaluation rows (those neither model trained on): each
/// compared metric with its paired-bootstrap interval, and for classifiers McNemar's exact test on accuracy.
/// </summary>
public sealed record ChampionComparison(int Version, int Rows, IReadOnlyList<MetricComparison> Metrics, McNemar? McNemar)
{
    public MetricComparison? Of(string metric) => Metrics.FirstOrDefault(m => m.Metric == metric);

    public static ChampionComparison Compare(int version, ScoredRows challenger, ScoredRows champion, IEnumerable<string> metrics, int resamples, int seed)
    {
        var (ours, theirs) = (challenger.Metrics(), champion.Metrics());
        return new(version, challenger.Count,
            metrics.Distinct().Select(m => new MetricComparison(m, ours[m], theirs[m], Bootstrap.Difference(challenger, champion, m, resamples, seed))).ToList(),
            challenger.Task == MlTask.Regression ? null : McNemar.Test(challenger.Correct(), champion.Correct()));
    }
}
