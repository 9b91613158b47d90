using System.Globalization;

namespace Tend.Evaluation.Tests;

/// <summary>The evaluation fixtures tests/data/eval_*.csv, written by tests/reference/evaluation_references.py (seeded).</summary>
internal static class Fixtures
{
    public static List<string[]> Read(string name) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", name)).Skip(1).Select(l => l.Split(',')).ToList();

    public static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>label, score, group, age: 300 rows.</summary>
    public static (bool[] Y, double[] P, string[] Group, string[] Age) Binary()
    {
        var rows = Read("eval_binary.csv");
        return (rows.Select(r => r[0] == "1").ToArray(), rows.Select(r => D(r[1])).ToArray(), rows.Select(r => r[2]).ToArray(), rows.Select(r => r[3]).ToArray());
    }

    public static (int[] Y, double[][] P) Multiclass()
    {
        var rows = Read("eval_multiclass.csv");
        return (rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)).ToArray(), rows.Select(r => r.Skip(1).Select(D).ToArray()).ToArray());
    }

    public static (double[] Y, double[] P) Regression()
    {
        var rows = Read("eval_regression.csv");
        return (rows.Select(r => D(r[0])).ToArray(), rows.Select(r => D(r[1])).ToArray());
    }
}
