using System.Globalization;
using Tend.Core.Domain;

namespace Tend.Pipelines;

/// <summary>One compared value across runs: the data version, a param or a metric, and whether the runs disagree on it.</summary>
public sealed record ComparedRow(string Kind, string Name, IReadOnlyList<string?> Values, bool Differs);

/// <summary>A metric over runs that differ only by seed: mean and sample standard deviation (ddof = 1, as numpy.std(ddof=1)).</summary>
public sealed record Spread(double Mean, double Std, int Runs);

/// <summary>Runs with the same data and params but for the seed (and what follows from it: the split).</summary>
public sealed record SeedGroup(IReadOnlyList<string> Runs, IReadOnlyList<string> Seeds, IReadOnlyDictionary<string, Spread> Metrics);

/// <summary>
/// Runs side by side: data version, params and metrics (optionally only where they differ), and, for runs that differ
/// only by seed, each metric's mean ± standard deviation, so "better" can be told from seed noise.
/// </summary>
public sealed record RunComparison(IReadOnlyList<string> Runs, IReadOnlyList<ComparedRow> Rows, IReadOnlyList<SeedGroup> SeedGroups)
{
    /// <summary>The params that follow from the seed: the seed itself, the split it draws and what the trainer chose on it.</summary>
    private static readonly HashSet<string> SeedParams = ["seed", "split.test_digest", "split.unplaced_rows", "train_rows", "test_rows"];

    private static bool FollowsFromSeed(string param) => SeedParams.Contains(param) || param.StartsWith(Stages.TrainStage.Chosen, StringComparison.Ordinal);

    public static RunComparison Of(IReadOnlyList<Run> runs, bool diffOnly)
    {
        var rows = new List<ComparedRow> { Row("data", "dataset", runs.Select(r => (string?)r.Dataset).ToList()) };
        rows.AddRange(runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(p => Row("param", p, runs.Select(r => r.Params.GetValueOrDefault(p)).ToList())));
        rows.AddRange(runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal)
            .Select(m => Row("metric", m, runs.Select(r => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : null).ToList())));

        var groups = runs.GroupBy(r => r.Dataset + "\u001f" + string.Join('\u001f', r.Params.Where(p => !FollowsFromSeed(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")))
            .Where(g => g.Count() > 1)
            .Select(g => new SeedGroup(g.Select(r => r.Id).ToList(), g.Select(r => r.Params.GetValueOrDefault("seed") ?? "").ToList(),
                g.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToDictionary(m => m, m => Spread(g.Where(r => r.Metrics.ContainsKey(m)).Select(r => r.Metrics[m]).ToList()))))
            .ToList();
        return new RunComparison(runs.Select(r => r.Id).ToList(), diffOnly ? rows.Where(r => r.Differs).ToList() : rows, groups);
    }

    private static ComparedRow Row(string kind, string name, IReadOnlyList<string?> values) =>
        new(kind, name, values, values.Distinct().Count() > 1);

    private static Spread Spread(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new Spread(mean, std, values.Count);
    }
}
