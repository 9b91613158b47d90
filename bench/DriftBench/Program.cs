// Drift of a 1,000,000-row window (20 numeric + 5 categorical columns) against a stored reference of 1,000,000 rows
// (issue 7). The reference is summarized once, as ingest stores it (each numeric column's Distribution, each
// category's count); the timed part is what `tend monitor run` does per window: summarize the current columns and
// compute every applicable statistic of every column, then judge the dataset. Writes both samples to DIR as raw
// little-endian float64 (numbers) and int32 codes (categories), for bench/drift_scipy.py.
// Usage: DriftBench DIR [RUNS] [ROWS]   Prints one JSON line per run.
using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Monitoring.Drift;

const int Numeric = 20, Categorical = 5;
var dir = args[0];
var runs = args.Length > 1 ? int.Parse(args[1]) : 3;
var Rows = args.Length > 2 ? int.Parse(args[2]) : 1_000_000;

var (reference, current) = (Sample(1, Rows, shift: false), Sample(2, Rows, shift: true));
Write(reference, Path.Combine(dir, "reference"));
Write(current, Path.Combine(dir, "current"));
var features = Enumerable.Range(0, Numeric).Select(c => ($"x{c}", ColumnType.Numeric))
    .Concat(Enumerable.Range(0, Categorical).Select(c => ($"c{c}", ColumnType.Categorical))).ToList();

// Stored once, at ingest: what the profile keeps.
var stored = features.ToDictionary(f => f.Item1, f => Summary(reference, f.Item1));
DriftAnalysis.Window referenceWindow = (column, _) => new DriftAnalysis.WindowColumn(stored[column], 0);
DriftAnalysis.Window currentWindow = (column, _) => new DriftAnalysis.WindowColumn(Summary(current, column), 0);

for (var run = 1; run <= runs; run++)
{
    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var drift = DriftAnalysis.Compare(referenceWindow, currentWindow, features, new MonitorSpec());
    var verdict = DatasetDrift.Judge(drift, null, new MonitorSpec());
    var seconds = clock.Elapsed.TotalSeconds;
    var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        run, rows = Rows, columns = features.Count, seconds = Math.Round(seconds, 3), allocated_mb = Math.Round(megabytes, 1),
        statistics = drift.Sum(f => f.Details.Keys.Count(k => !k.Contains("share") && !k.EndsWith("p_value") && k is not ("unseen_categories" or "rank_error"))),
        drifted = drift.Count(f => f.Drifted), dataset_drift = verdict.Drifted, verdict.Rule,
        max_rank_error = drift.Max(f => f.Details.GetValueOrDefault("rank_error")),
        deciders = drift.Select(f => f.Statistic).Distinct(), points = drift.Take(Numeric).Max(f => stored[f.Name].Numbers!.Values.Count),
        x0 = Rounded(drift[0].Details), x1_wasserstein = Math.Round(drift[1].Details["wasserstein"], 6), c1 = Rounded(drift[Numeric + 1].Details),
    }));
}

static Dictionary<string, double> Rounded(IReadOnlyDictionary<string, double> details) =>
    details.Where(d => !d.Key.Contains("share") && !d.Key.EndsWith("p_value")).ToDictionary(d => d.Key, d => Math.Round(d.Value, 6));

static ColumnSample Summary(Data data, string column) =>
    column[0] == 'x' ? ColumnSample.Of(data.Numbers[int.Parse(column[1..])]) : ColumnSample.Of(data.Categories[int.Parse(column[1..])].Select(code => Names[code]));

// Seeded data: numeric column c is normal, log-normal or uniform by c % 3; the current shifts the odd columns by
// 0.05 · (c + 1) standard deviations. Category column c has 5 + 10 c categories with Zipf-like shares; the current
// moves 3 % of the rows to the first category in the odd columns.
static Data Sample(int seed, int rows, bool shift)
{
    var random = new Random(seed);
    var numbers = new double[Numeric][];
    for (var c = 0; c < Numeric; c++)
    {
        var column = numbers[c] = new double[rows];
        var delta = shift && c % 2 == 1 ? 0.05 * (c + 1) : 0;
        for (var r = 0; r < rows; r++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            column[r] = (c % 3) switch { 0 => normal, 1 => Math.Exp(normal / 2), _ => random.NextDouble() * Math.Sqrt(12) } + delta;
        }
    }
    var categories = new int[Categorical][];
    for (var c = 0; c < Categorical; c++)
    {
        var k = 5 + 10 * c;
        var weights = Enumerable.Range(1, k).Select(i => 1.0 / i).ToArray();
        var cumulative = weights.Select((_, i) => weights.Take(i + 1).Sum() / weights.Sum()).ToArray();
        var column = categories[c] = new int[rows];
        for (var r = 0; r < rows; r++)
            column[r] = shift && c % 2 == 1 && random.NextDouble() < 0.03 ? 0 : Math.Min(k - 1, ~Array.BinarySearch(cumulative, random.NextDouble()) is var i and >= 0 ? i : 0);
    }
    return new Data(numbers, categories);
}

static void Write(Data data, string prefix)
{
    using (var numbers = new BinaryWriter(File.Create(prefix + ".f64")))
        foreach (var column in data.Numbers)
            foreach (var value in column)
                numbers.Write(value);
    using var codes = new BinaryWriter(File.Create(prefix + ".i32"));
    foreach (var column in data.Categories)
        foreach (var code in column)
            codes.Write(code);
}

sealed record Data(double[][] Numbers, int[][] Categories);

static partial class Program
{
    private static readonly string[] Names = Enumerable.Range(0, 100).Select(i => $"cat{i}").ToArray();
}
