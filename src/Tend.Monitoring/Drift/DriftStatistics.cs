using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Monitoring.Statistics;

namespace Tend.Monitoring.Drift;

/// <summary>Every drift statistic Tend knows, and which decides for a column by default. Adding one is one file and one line here.</summary>
public static class DriftStatistics
{
    public static readonly IReadOnlyList<IDriftStatistic> All =
        [new KolmogorovSmirnov(), new ChiSquare(), new ProportionZ(), new Psi(), new Wasserstein(), new JensenShannon(), new Hellinger()];

    /// <summary>
    /// Up to this many values on the smaller side a test decides; above it a distance does. A test at 5 % flags
    /// shifts too small to matter once samples are large (a KS test on 100,000 rows a side flags a shift of 0.6 % of
    /// the distribution), while a distance reads the same at any size.
    /// </summary>
    public const int TestUpTo = 10_000;

    public static IDriftStatistic Named(string name) => All.FirstOrDefault(s => s.Descriptor.Name == name)
        ?? throw TendException.BadUsage($"unknown drift statistic '{name}'; known: {string.Join(", ", All.Select(s => s.Descriptor.Name))}");

    /// <summary>
    /// The statistic that decides for a column by default: KS for numbers, chi-square for categories, the z-test for
    /// booleans while the smaller side has at most <see cref="TestUpTo"/> values; above that, the normed Wasserstein
    /// distance for numbers and the Jensen–Shannon distance for categories and booleans.
    /// </summary>
    public static IDriftStatistic Default(ColumnType type, long smallerSide) => (type.IsNumber(), type, smallerSide <= TestUpTo) switch
    {
        (true, _, true) => Named("ks"),
        (true, _, false) => Named("wasserstein"),
        (false, ColumnType.Boolean, true) => Named("z"),
        (false, ColumnType.Categorical, true) => Named("chi_square"),
        _ => Named("jensen_shannon"),
    };
}
