using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Tests;

/// <summary>
/// Drift on real data: tests/data/credit_data.csv (4,454 loan applications, modeldata::credit_data), every column but
/// the label, at the default thresholds and statistics (KS, chi-square: both halves are under 10,000 rows).
/// </summary>
public class CreditDriftTests
{
    private static readonly Table Credit = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv"));

    private static readonly (string, ColumnType)[] Features =
    [
        ("Seniority", ColumnType.Numeric), ("Time", ColumnType.Numeric), ("Age", ColumnType.Numeric), ("Expenses", ColumnType.Numeric),
        ("Income", ColumnType.Numeric), ("Assets", ColumnType.Numeric), ("Debt", ColumnType.Numeric), ("Amount", ColumnType.Numeric),
        ("Price", ColumnType.Numeric), ("Home", ColumnType.Categorical), ("Marital", ColumnType.Categorical), ("Records", ColumnType.Categorical),
        ("Job", ColumnType.Categorical),
    ];

    /// <summary>The rows split in two at random: a seeded shuffle, the first half the reference.</summary>
    private static (Table Reference, Table Current) Split(int seed)
    {
        var rows = Credit.Rows.ToArray();
        new Random(seed).Shuffle(rows);
        return (new Table(Credit.Columns, rows[..(rows.Length / 2)]), new Table(Credit.Columns, rows[(rows.Length / 2)..]));
    }

    private static DatasetDrift.Verdict Judge(Table reference, Table current) =>
        DatasetDrift.Judge(DriftAnalysis.Compare(reference, current, Features, new MonitorSpec()), null, new MonitorSpec());

    /// <summary>
    /// The current window holds only the home owners of the other half (a product offered to home owners): their
    /// assets, age, seniority and marital status differ from the applicants at large, not only the column selected on.
    /// </summary>
    [Fact]
    public void HomeOwnersOnly_Drift()
    {
        var (reference, other) = Split(1);
        var home = other.IndexOf("Home");
        var owners = new Table(other.Columns, other.Rows.Where(r => r[home] == "owner").ToList());

        var verdict = Judge(reference, owners);

        Assert.True(verdict.Drifted);
        Assert.Equal(DatasetDrift.CorrectedTestRule, verdict.Rule);
        var drifted = verdict.Features.Where(f => f.Drifted).Select(f => f.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "Home", "Assets", "Age", "Seniority", "Marital" }, drifted);
    }

    /// <summary>
    /// Random halves of the same data must rarely alarm. The global test behind the rule holds its level (5 %) when
    /// nothing changed; KS on integer-valued columns with many ties is conservative, so fewer alarms are expected.
    /// Measured: see docs/monitoring.md. The bound leaves room for sampling (binomial, n = 100, p = 0.05: P(X > 10) ≈ 1 %).
    /// </summary>
    [Fact]
    public void RandomHalves_RarelyAlarm_OverAHundredSeeds()
    {
        var alarms = Enumerable.Range(1, 100).Count(seed => Judge(Split(seed).Reference, Split(seed).Current).Drifted);
        Assert.InRange(alarms, 0, 10);
    }
}
