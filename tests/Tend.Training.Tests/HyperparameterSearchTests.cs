using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Search;
using Tend.Training.Trainers;

namespace Tend.Training.Tests;

public class HyperparameterSearchTests
{
    private static readonly Lazy<Table> Penguins = new(() => CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv")));

    private static ProjectSpec Spec(SearchSpec search, int seed = 42, params TrainerSpec[] trainers) =>
        new("t", "", MlTask.Multiclass, "species", null, new SuccessMetric("macro_accuracy", 0), [], new SplitSpec(Seed: seed),
            new TrainSpec(trainers.Length > 0 ? trainers : [new TrainerSpec("lightgbm", new Dictionary<string, double> { ["number_of_iterations"] = 40 }), new TrainerSpec("lbfgs", new Dictionary<string, double>())], search),
            new MonitorSpec());

    private static async Task<SearchOutcome> SearchAsync(ProjectSpec spec, int trials)
    {
        var data = Penguins.Value;
        var layout = FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));
        var search = new HyperparameterSearch(spec, layout, (model, rows) => HoldoutEvaluator.Evaluate(model, rows)[spec.Metric.Name]);
        return await search.RunAsync(HoldoutSplit.Split(data, spec).Train, trials, _ => Task.CompletedTask, CancellationToken.None);
    }

    private static IEnumerable<string> Board(SearchOutcome o) =>
        o.Leaderboard.Select(s => $"{s.Number} {s.Trainer.Name} {string.Join(",", s.Trainer.Options.Select(p => $"{p.Key}={p.Value:R}"))} {s.Rung} {s.Score:R} {string.Join(",", s.FoldScores.Select(f => f.ToString("R")))}");

    [Fact]
    public void Plan_FirstTrialOfEachTrainerIsItsYamlConfig_OthersDrawInRangeAndKeepFixedParams()
    {
        var spec = Spec(new SearchSpec());
        var plan = SearchPlan.Of(spec, 10, 10_000);
        Assert.Equal(spec.Train.Trainers, plan.Trials.Take(2).Select(t => t.Trainer));
        Assert.Equal(["lightgbm", "lbfgs", "lightgbm"], plan.Trials.Take(3).Select(t => t.Trainer.Name));
        foreach (var trial in plan.Trials.Skip(2))
        {
            var space = TrainerCatalog.Find(MlTask.Multiclass, trial.Trainer.Name).Space;
            foreach (var range in space.Where(r => r.Name != "number_of_iterations"))
                Assert.InRange(trial.Trainer.Options[range.Name], range.Min, range.Max);
            if (trial.Trainer.Name == "lightgbm")
                Assert.Equal(40, trial.Trainer.Options["number_of_iterations"]); // fixed in the yaml, so never searched
        }
        Assert.Equal(10, plan.Trials.Select(t => t.Trainer).Distinct().Count());
    }

    [Theory]
    [InlineData(20, 10_000, new[] { 1 / 9.0, 1 / 3.0, 1.0 })]   // 20 trials → 7 → 3 on 1,111, 3,333 and 10,000 rows
    [InlineData(20, 2_000, new[] { 1 / 3.0, 1.0 })]            // a third rung would fit on 222 rows, under min_rows
    [InlineData(2, 100_000, new[] { 1.0 })]                    // too few trials to halve
    [InlineData(50, 400, new[] { 1.0 })]                       // too few rows to halve
    public void Rungs_HalveWhileRowsAndTrialsAllow(int trials, int rows, double[] expected)
    {
        var rungs = SearchPlan.Rungs(trials, rows, new SearchSpec());
        Assert.Equal(expected.Length, rungs.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], rungs[i], 12);
    }

    [Fact]
    public async Task Search_SameDataSpecAndSeed_SameLeaderboard_WhateverTheParallelism()
    {
        var first = await SearchAsync(Spec(new SearchSpec(Folds: 3, Parallel: 2)), 6);
        var again = await SearchAsync(Spec(new SearchSpec(Folds: 3, Parallel: 1)), 6);
        Assert.Equal(Board(first), Board(again));
        Assert.Equal(6, first.Leaderboard.Count);
        Assert.All(first.Leaderboard, s => Assert.Equal(3, s.FoldScores.Count));
        Assert.True(first.Best.Score >= first.Leaderboard.Max(s => s.Score));
        var otherSeed = await SearchAsync(Spec(new SearchSpec(Folds: 3), seed: 7), 6);
        Assert.NotEqual(Board(first), Board(otherSeed));
    }

    [Fact]
    public async Task Search_WithHalving_PromotesTheBestThirdOfEachRung()
    {
        // 273 training rows; min_rows 50 allows rungs on a third and on all of them.
        var outcome = await SearchAsync(Spec(new SearchSpec(Folds: 1, MinRows: 50)), 9);
        Assert.Equal(2, outcome.Plan.RungFractions.Count);
        var rung0 = outcome.Scores.Where(s => s.Rung == 0).OrderByDescending(s => s.Score).ThenBy(s => s.Number).ToList();
        var rung1 = outcome.Scores.Where(s => s.Rung == 1).Select(s => s.Number).Order();
        Assert.Equal(9, rung0.Count);
        Assert.Equal(rung0.Take(3).Select(s => s.Number).Order(), rung1);
        Assert.All(outcome.Leaderboard.Take(3), s => Assert.Equal(1, s.Rung));
        Assert.True(outcome.Scores.Where(s => s.Rung == 1).All(s => s.TrainRows > rung0[0].TrainRows * 2));
    }

    [Fact]
    public async Task Search_AFailingTrial_IsRankedLast_WithItsError()
    {
        var spec = Spec(new SearchSpec(Folds: 2), trainers: [new TrainerSpec("lightgbm", new Dictionary<string, double> { ["number_of_iterations"] = 20 }),
            new TrainerSpec("lbfgs", new Dictionary<string, double> { ["l2_regularization"] = -1 })]);
        var outcome = await SearchAsync(spec, 2);
        Assert.Equal("lightgbm", outcome.Best.Trainer.Name);
        Assert.NotNull(outcome.Leaderboard[1].Error);
        Assert.True(double.IsNaN(outcome.Leaderboard[1].Score));
    }

    [Fact]
    public async Task Search_ATimeBudgetThatEndsBeforeAnyTrial_SaysSo()
    {
        var e = await Assert.ThrowsAsync<Core.Errors.TendException>(() => SearchAsync(Spec(new SearchSpec(TimeBudgetSeconds: 1e-9)), 4));
        Assert.Contains("the search's time budget ended before any trial finished; raise 'train.search.time_budget_seconds'", e.Message);
    }

    [Fact]
    public async Task Search_WithPatience_StopsWhenTrialsInARowDoNotBeatTheBest_WhateverTheParallelism()
    {
        var outcome = await SearchAsync(Spec(new SearchSpec(Folds: 2, Patience: 2, Parallel: 2)), 12);
        var again = await SearchAsync(Spec(new SearchSpec(Folds: 2, Patience: 2, Parallel: 1)), 12);
        Assert.Equal(Board(outcome), Board(again));
        Assert.Equal(outcome.StoppedEarly, again.StoppedEarly);
        Assert.NotEmpty(outcome.StoppedEarly);
        Assert.Empty(outcome.Skipped);
        // The scored trials are a prefix of the plan, and it ends exactly where two in a row first failed to beat the best.
        var scored = outcome.Scores.Select(s => s.Number).ToList();
        Assert.Equal(Enumerable.Range(0, scored.Count), scored);
        Assert.Equal(Enumerable.Range(scored.Count, 12 - scored.Count), outcome.StoppedEarly);
        var best = double.NegativeInfinity;
        var sinceBest = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            Assert.True(sinceBest < 2, $"trial {i} ran after patience was used up");
            var score = outcome.Scores[i].Score;
            (best, sinceBest) = score > best ? (score, 0) : (best, sinceBest + 1);
        }
        Assert.Equal(2, sinceBest);
    }
}
