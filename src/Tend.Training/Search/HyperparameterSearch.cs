using System.Diagnostics;
using Tend.Core.Spec;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Training.Search;

/// <summary>
/// A trial's score at one rung: the mean of its fold scores (NaN, with the error, when it failed to train), and the
/// process that scored it when that was another one (a worker).
/// </summary>
public sealed record TrialScore(int Number, TrainerSpec Trainer, int Rung, int TrainRows, double Score, IReadOnlyList<double> FoldScores, double Seconds,
    string? Error = null, string? Worker = null);

/// <summary>
/// The trials' scores at every rung they reached, their ranking by the last one (best first), and the trials never
/// scored: skipped when the time budget ran out, stopped early when the first rung's patience ran out.
/// </summary>
public sealed record SearchOutcome(SearchPlan Plan, IReadOnlyList<TrialScore> Scores, IReadOnlyList<TrialScore> Leaderboard,
    IReadOnlyList<int> Skipped, IReadOnlyList<int> StoppedEarly)
{
    public TrialScore Best => Leaderboard[0];
}

/// <summary>Scores one trial at one rung: here (<see cref="HyperparameterSearch.ScoreTrial"/>), or on whichever process runs a search's trials.</summary>
public delegate Task<TrialScore> TrialScorer(SearchTrial trial, int rung, CancellationToken ct);

/// <summary>
/// Random search thinned by successive halving, scored by cross-validation on the training rows only (the holdout stays
/// unseen). Each fold fits the whole pipeline, preparation included, on its training part. Trials at a rung run in
/// parallel; results are kept in trial order, so the outcome does not depend on which finishes first. With a time
/// budget, no trial starts after the deadline, and those not started are listed as skipped. With a patience of p, the
/// first rung stops once p trials in a row have not beaten the best so far. A trial's score depends on nothing but the
/// data, the spec, the number of trials, and its number and rung, so any process can compute it (<see cref="ScoreTrial"/>).
/// </summary>
public sealed class HyperparameterSearch(ProjectSpec spec, FeatureLayout layout, Func<TrainedModel, Table, double> score)
{
    private const int FoldSeed = 1;
    private const int SampleSeed = 2;

    /// <param name="scored">Told of each score as it counts: one at a time, in trial order within a rung.</param>
    /// <param name="elsewhere">Scores the trials in other processes (each wave's trials at once); null: here, in parallel.</param>
    public async Task<SearchOutcome> RunAsync(Table train, int trials, Func<TrialScore, Task> scored, CancellationToken ct, TrialScorer? elsewhere = null)
    {
        var search = spec.Train.SearchOrDefault;
        var folds = Folds(train, search);
        var plan = SearchPlan.Of(spec, trials, folds.Min(f => f.Train.Length));
        var higherIsBetter = Metrics.HigherIsBetter(spec.Metric.Name);
        var deadline = search.TimeBudgetSeconds is { } budget ? Stopwatch.GetTimestamp() + (long)(budget * Stopwatch.Frequency) : long.MaxValue;
        var scores = new List<TrialScore>();
        var (skipped, stoppedEarly) = (new List<int>(), new List<int>());
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = search.Parallel > 0 ? search.Parallel : Environment.ProcessorCount, CancellationToken = ct };
        var positions = Positions(train, SampleSeed);
        var score = elsewhere ?? ((trial, rung, token) => Task.FromResult(Score(train, folds, positions, plan.RungFractions[rung], trial, rung, token)));
        var alive = plan.Trials.ToList();
        for (var rung = 0; rung < plan.RungFractions.Count && alive.Count > 0; rung++)
        {
            var patience = rung == 0 ? search.Patience : null;
            // With patience, the first rung runs a wave of trials at a time, so it can stop between waves.
            var wave = patience is null ? alive.Count : parallel.MaxDegreeOfParallelism;
            var done = new List<TrialScore>();
            var stopped = false;
            for (var first = 0; first < alive.Count && !stopped; first += wave)
            {
                var trialsOfWave = alive.Skip(first).Take(wave).ToList();
                var results = new TrialScore?[trialsOfWave.Count];
                var waveParallel = elsewhere is null ? parallel : new ParallelOptions { MaxDegreeOfParallelism = trialsOfWave.Count, CancellationToken = ct };
                var atRung = rung;
                await Parallel.ForEachAsync(Enumerable.Range(0, trialsOfWave.Count), waveParallel, async (i, token) =>
                {
                    if (Stopwatch.GetTimestamp() <= deadline)
                        results[i] = await score(trialsOfWave[i], atRung, token);
                });
                // Results count in trial order, whichever finished first: the deadline cuts at the first trial it
                // stopped, patience at the trial that used it up; later results of the wave are dropped.
                foreach (var result in results)
                {
                    if (result is null)
                    {
                        stopped = true;
                        break;
                    }
                    done.Add(result);
                    await scored(result);
                    if (patience is { } p && done.Count - 1 - done.IndexOf(Rank(done, higherIsBetter)[0]) >= p)
                    {
                        stopped = true;
                        stoppedEarly.AddRange(alive.Skip(done.Count).Select(t => t.Number));
                        break;
                    }
                }
            }
            skipped.AddRange(alive.Skip(done.Count).Select(t => t.Number).Except(stoppedEarly));
            scores.AddRange(done);
            var keep = rung == plan.RungFractions.Count - 1 ? 0 : (int)Math.Ceiling(done.Count / (double)search.Eta);
            var promoted = Rank(done, higherIsBetter).Take(keep).Where(s => s.Error is null).Select(s => s.Number).ToHashSet();
            alive = alive.Where(t => promoted.Contains(t.Number)).ToList();
        }
        var last = scores.GroupBy(s => s.Number).Select(g => g.MaxBy(s => s.Rung)!).ToList();
        // The leaderboard ranks the furthest rung first: a trial that was kept beat those that were not at their rung.
        var leaderboard = last.GroupBy(s => s.Rung).OrderByDescending(g => g.Key).SelectMany(g => Rank(g.ToList(), higherIsBetter)).ToList();
        if (leaderboard.Count == 0 || leaderboard[0].Error is not null)
            throw new Core.Errors.TendException(Core.Errors.ErrorCode.InvalidData,
                leaderboard.Count == 0 ? "the search's time budget ended before any trial finished; raise 'train.search.time_budget_seconds'"
                : $"every trial of the search failed; the first: {leaderboard[0].Error}");
        return new SearchOutcome(plan, scores, leaderboard, skipped, stoppedEarly);
    }

    /// <summary>Scores trial <paramref name="number"/> of a search of <paramref name="trials"/> at <paramref name="rung"/>, as the search itself would.</summary>
    public TrialScore ScoreTrial(Table train, int trials, int number, int rung, CancellationToken ct)
    {
        var folds = Folds(train, spec.Train.SearchOrDefault);
        var plan = SearchPlan.Of(spec, trials, folds.Min(f => f.Train.Length));
        var trial = plan.Trials.FirstOrDefault(t => t.Number == number)
            ?? throw Core.Errors.TendException.BadField("trial", $"a search of {trials} trials has no trial {number}");
        return rung < plan.RungFractions.Count ? Score(train, folds, Positions(train, SampleSeed), plan.RungFractions[rung], trial, rung, ct)
            : throw Core.Errors.TendException.BadField("rung", $"a search of {trials} trials has {plan.RungFractions.Count} rungs, not {rung + 1}");
    }

    private TrialScore Score(Table train, IReadOnlyList<(int[] Train, int[] Validation)> folds, double[] positions, double fraction, SearchTrial trial, int rung, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var foldScores = new List<double>();
        var rows = 0;
        try
        {
            foreach (var (fit, validation) in folds)
            {
                var sample = fit.Where(i => positions[i] < fraction).ToArray();
                rows = sample.Length;
                var model = ModelTrainer.Fit(train.Select(sample), layout, spec, trial.Trainer, ct);
                foldScores.Add(score(model, train.Select(validation)));
            }
            return new TrialScore(trial.Number, trial.Trainer, rung, rows, foldScores.Average(), foldScores, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new TrialScore(trial.Number, trial.Trainer, rung, rows, double.NaN, foldScores, clock.Elapsed.TotalSeconds, e.Message);
        }
    }

    /// <summary>Best first; a failed or undefined score last; ties by trial number.</summary>
    private static List<TrialScore> Rank(List<TrialScore> scores, bool higherIsBetter) =>
        scores.OrderBy(s => double.IsNaN(s.Score) ? 1 : 0).ThenBy(s => higherIsBetter ? -s.Score : s.Score).ThenBy(s => s.Number).ToList();

    /// <summary>k folds by a seeded hash of each row's key (its group, when the split is by group); with one fold, a validation share.</summary>
    private List<(int[] Train, int[] Validation)> Folds(Table train, SearchSpec search)
    {
        var positions = Positions(train, FoldSeed);
        var all = Enumerable.Range(0, train.Rows.Count).ToArray();
        if (search.Folds == 1)
            return [(all.Where(i => positions[i] >= search.ValidationFraction).ToArray(), all.Where(i => positions[i] < search.ValidationFraction).ToArray())];
        var fold = positions.Select(p => Math.Min(search.Folds - 1, (int)(p * search.Folds))).ToArray();
        var folds = Enumerable.Range(0, search.Folds).Select(k => (all.Where(i => fold[i] != k).ToArray(), all.Where(i => fold[i] == k).ToArray())).ToList();
        if (folds.Any(f => f.Item2.Length == 0 || f.Item1.Length == 0))
            throw Core.Errors.TendException.InvalidData($"{train.Rows.Count} training rows are too few for {search.Folds}-fold cross-validation; lower 'train.search.folds'");
        return folds;
    }

    private double[] Positions(Table train, int salt)
    {
        var key = spec.Split.Group ?? spec.Split.Key;
        var column = key is null ? -1 : train.IndexOf(key);
        return train.Rows.Select(r => RowKey.Position(RowKey.Of(r, column), spec.Split.Seed + salt)).ToArray();
    }
}
