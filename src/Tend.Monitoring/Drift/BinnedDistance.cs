using Tend.Monitoring.Statistics;

namespace Tend.Monitoring.Drift;

/// <summary>A drift statistic that is a distance between the two sides' binned distributions (<see cref="Bins"/>).</summary>
public abstract class BinnedDistance : IDriftStatistic
{
    public abstract StatisticDescriptor Descriptor { get; }

    public DriftScore Score(ColumnSample reference, ColumnSample current)
    {
        var (p, q) = Bins.Shares(reference, current);
        return new DriftScore(Between(p, q));
    }

    /// <summary>The distance between two distributions over the same bins.</summary>
    protected abstract double Between(double[] p, double[] q);
}
