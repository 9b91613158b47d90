using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Tabular;
using Tend.Evaluation.Slicing;
using Tend.Pipelines;
using Tend.Pipelines.Stages;
using Tend.Training.Features;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// The served metrics summed as a window of the log streams by, against the same figures from the whole window held in
/// memory: fairness groups drawn by <see cref="RowGroups"/> from every row, and latency percentiles from every latency
/// sorted. Exact while an attribute or the latencies have at most 10,000 distinct values; within a stated error beyond.
/// </summary>
public sealed class ServedTrafficTests
{
    private static readonly FeatureLayout Layout = new(MlTask.Binary, "y", "yes", ["no", "yes"], ["age", "income"], [], ["region"],
        new Dictionary<string, IReadOnlyList<string>>(), [], []);

    private static readonly ProjectSpec Spec = new("p", "", MlTask.Binary, "y", "yes", new SuccessMetric("auc", 0), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec(),
        ProtectedAttributes: ["age", "region", "income"]);

    private static readonly FeatureSet Attributes = new(["age", "region", "income"]);

    /// <summary>Answered requests: ages 18–90 (some missing, some not numbers), four regions, a continuous income; about half labelled.</summary>
    private static List<PredictionRecord> Traffic(int count, int seed)
    {
        var random = new Random(seed);
        string[] regions = ["north", "south", "east", "west"];
        return Enumerable.Range(0, count).Select(i =>
        {
            var age = random.Next(50) switch { 0 => null, 1 => "n/a", _ => (18 + random.Next(73)).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var income = (30_000 + 10_000 * Math.Exp(random.NextDouble() * 2)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var score = random.NextDouble();
            var label = random.Next(2) == 0 ? null : random.NextDouble() < score ? "yes" : "no";
            return new PredictionRecord($"r{i}", DateTimeOffset.UnixEpoch.AddSeconds(i), "p", 1, "primary",
                new CellRow(Attributes, [age, regions[random.Next(regions.Length)], income]), score >= 0.5 ? "yes" : "no", score, 1 + random.NextDouble(), label);
        }).ToList();
    }

    /// <summary>A group's rates from every row it holds: how the report read them when the window was held whole.</summary>
    private static GroupRates Rates(RowGroup group, List<PredictionRecord> records)
    {
        var rows = group.Rows.Select(i => records[i]).ToList();
        var labelled = rows.Where(r => r.Feedback is not null).ToList();
        var (positives, negatives) = (labelled.Where(r => r.Feedback == "yes").ToList(), labelled.Where(r => r.Feedback == "no").ToList());
        double? Selected(List<PredictionRecord> of) => of.Count == 0 ? null : of.Count(r => r.Prediction == "yes") / (double)of.Count;
        return new GroupRates(group.Name, rows.Count, Selected(rows)!.Value, labelled.Count, Selected(positives), Selected(negatives));
    }

    private static List<RowGroup> Grouped(List<PredictionRecord> records, string attribute) =>
        [.. RowGroups.By(new Table([attribute], [.. records.Select(r => new[] { r.Features.GetValueOrDefault(attribute) })]), attribute, Layout.Numeric.Contains(attribute), 4)];

    [Fact]
    public void Fairness_CountedAsTheRequestsStream_IsWhatGroupingEveryRowGives()
    {
        var records = Traffic(20_000, seed: 7);
        var fairness = MonitorFairness.Of(records, Layout, Spec with { ProtectedAttributes = ["age", "region"] })!;
        Assert.Equal(["age", "region"], fairness.Select(f => f.Attribute));
        foreach (var attribute in fairness)
        {
            var expected = Grouped(records, attribute.Attribute).Select(g => Rates(g, records)).ToList();
            Assert.Equal(expected, attribute.Groups);
            Assert.Equal(records.Count(r => r.Feedback is not null), attribute.LabelledRows);
        }
        Assert.Contains(fairness[0].Groups, g => g.Group == RowGroups.Missing); // the missing ages and "n/a" together, as RowGroups has them
    }

    [Fact]
    public void Fairness_OfANumberWithMoreThanTenThousandValues_BinsWithinAPercentOfTheRows()
    {
        var records = Traffic(60_000, seed: 11);
        var income = MonitorFairness.Of(records, Layout, Spec with { ProtectedAttributes = ["income"] })!.Single();
        var expected = Grouped(records, "income");
        Assert.True(expected.Count == 4 && records.Select(r => r.Features.GetValueOrDefault("income")).Distinct().Count() > NumberDistribution.ExactLimit);
        Assert.Equal(4, income.Groups.Count);
        foreach (var (streamed, whole) in income.Groups.Zip(expected))
            Assert.True(Math.Abs(streamed.Rows - whole.Rows.Length) <= records.Count / 100, $"{streamed.Group}: {streamed.Rows} rows, {whole.Name}: {whole.Rows.Length}");
        Assert.Equal(records.Count, income.Groups.Sum(g => g.Rows));
    }

    [Theory]
    [InlineData(5_000, 3)] // latencies of 3 decimals: at most 10,000 distinct values, exact
    [InlineData(200_000, 15)] // every latency distinct: sketched
    public void LatencyPercentiles_FromTheDistribution_AreTheNearestRanks(int count, int decimals)
    {
        var random = new Random(3);
        var latencies = Enumerable.Range(0, count).Select(_ => Math.Round(Math.Exp(random.NextDouble() * 3), decimals)).ToList();
        var distribution = new NumberDistribution(countDistinct: false);
        latencies.ForEach(distribution.Add);
        var sorted = latencies.Order().ToList();
        foreach (var q in new[] { 0.5, 0.99 })
        {
            var streamed = DeploymentStatus.Quantile(distribution.Result(), q);
            if (distribution.Exact)
                Assert.Equal(DeploymentStatus.Quantile(sorted, q), streamed);
            else
            {
                var rank = sorted.BinarySearch(streamed) is var at && at >= 0 ? at : ~at; // where the sketch's answer sits among every latency
                var error = distribution.Result().RankError * count;
                Assert.InRange(rank, Math.Ceiling(q * count) - 1 - error - 1, Math.Ceiling(q * count) - 1 + error + 1);
            }
        }
    }
}
