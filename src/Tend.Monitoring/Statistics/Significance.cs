namespace Tend.Monitoring.Statistics;

/// <summary>The default significance level of every drift test.</summary>
public static class Significance
{
    public const double Level = 0.05;
    public const string Source = "the conventional 5 % significance level, Evidently's default for its tests too; applied to p-values corrected by Benjamini–Hochberg across the columns";
}
