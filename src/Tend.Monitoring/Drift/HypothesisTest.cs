namespace Tend.Monitoring.Drift;

/// <summary>A drift statistic that is a significance test: its score carries the test statistic and its p-value.</summary>
public abstract class HypothesisTest : IDriftStatistic
{
    public abstract StatisticDescriptor Descriptor { get; }

    public DriftScore Score(ColumnSample reference, ColumnSample current)
    {
        var (statistic, p) = Test(reference, current);
        return new DriftScore(statistic, p);
    }

    /// <summary>The test statistic and its p-value.</summary>
    protected abstract (double Statistic, double PValue) Test(ColumnSample reference, ColumnSample current);
}
