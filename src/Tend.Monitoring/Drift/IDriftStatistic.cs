using Tend.Core.Domain;

namespace Tend.Monitoring.Drift;

/// <summary>One drift statistic: what it is (<see cref="StatisticDescriptor"/>) and how it scores a reference and a current sample.</summary>
public interface IDriftStatistic
{
    StatisticDescriptor Descriptor { get; }

    DriftScore Score(ColumnSample reference, ColumnSample current);
}

/// <summary>
/// What a drift statistic is: its name, the column types it applies to, and when a column drifted by it. A test
/// (<see cref="IsTest"/>) gives a p-value, and the column drifted when that p-value, corrected for testing many
/// columns, falls below the monitor's significance level; a distance drifted when its value reaches
/// <see cref="DefaultThreshold"/> (or the monitor's own threshold for it). <see cref="ThresholdSource"/> says where
/// the default comes from.
/// </summary>
public sealed record StatisticDescriptor(string Name, IReadOnlyList<ColumnType> Types, bool IsTest, double DefaultThreshold, string ThresholdSource)
{
    public bool AppliesTo(ColumnType type) => Types.Contains(type);
}
